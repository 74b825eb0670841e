# Written by actsweep (results/plots.cpp); run `gnuplot plots.gp` in this directory.

reset
set terminal svg size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "learning_curves.svg"
set title "test accuracy per epoch: mean over seeds, band +-1 std"
set xlabel "epoch"
set ylabel "test accuracy (test_acc)"
set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols 3
set xtics 1
set grid
set xrange [0:5]
set yrange [*:*]
plot "learning_curves.dat" index 0 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#1f77b4" fs transparent solid 0.18 noborder notitle, \
     "" index 0 using 1:2 with lines lc rgb "#1f77b4" lw 2 dt 1 title "init=he_normal", \
     "learning_curves.dat" index 1 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#ff7f0e" fs transparent solid 0.18 noborder notitle, \
     "" index 1 using 1:2 with lines lc rgb "#ff7f0e" lw 2 dt 1 title "init=lecun_normal"

reset
set terminal pngcairo size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "learning_curves.png"
set title "test accuracy per epoch: mean over seeds, band +-1 std"
set xlabel "epoch"
set ylabel "test accuracy (test_acc)"
set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols 3
set xtics 1
set grid
set xrange [0:5]
set yrange [*:*]
plot "learning_curves.dat" index 0 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#1f77b4" fs transparent solid 0.18 noborder notitle, \
     "" index 0 using 1:2 with lines lc rgb "#1f77b4" lw 2 dt 1 title "init=he_normal", \
     "learning_curves.dat" index 1 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#ff7f0e" fs transparent solid 0.18 noborder notitle, \
     "" index 1 using 1:2 with lines lc rgb "#ff7f0e" lw 2 dt 1 title "init=lecun_normal"

reset
set terminal svg size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "act_mean_by_layer.svg"
set title "activation mean per hidden layer at epoch 0 (initial network): mean over runs, bars +-1 std"
set xlabel "hidden layer"
set ylabel "activation mean (act_mean)"
set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols 3
set xtics 1
unset mxtics
set grid
set xrange [0.5:32.5]
set yrange [*:*]
plot "act_mean_by_layer.dat" index 0 using ($1+-0.02):2:3 with yerrorlines lc rgb "#1f77b4" lw 2 dt 1 pt 1 ps 1.3 title "init=he_normal", \
     "act_mean_by_layer.dat" index 1 using ($1+0.02):2:3 with yerrorlines lc rgb "#ff7f0e" lw 2 dt 1 pt 2 ps 1.3 title "init=lecun_normal"

reset
set terminal pngcairo size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "act_mean_by_layer.png"
set title "activation mean per hidden layer at epoch 0 (initial network): mean over runs, bars +-1 std"
set xlabel "hidden layer"
set ylabel "activation mean (act_mean)"
set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols 3
set xtics 1
unset mxtics
set grid
set xrange [0.5:32.5]
set yrange [*:*]
plot "act_mean_by_layer.dat" index 0 using ($1+-0.02):2:3 with yerrorlines lc rgb "#1f77b4" lw 2 dt 1 pt 1 ps 1.3 title "init=he_normal", \
     "act_mean_by_layer.dat" index 1 using ($1+0.02):2:3 with yerrorlines lc rgb "#ff7f0e" lw 2 dt 1 pt 2 ps 1.3 title "init=lecun_normal"

unset output
