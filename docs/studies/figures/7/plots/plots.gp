# Written by actsweep (results/plots.cpp); run `gnuplot plots.gp` in this directory.

reset
set terminal svg size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "learning_curves.svg"
set title "test accuracy per epoch: mean over seeds, band +-1 std"
set xlabel "epoch"
set ylabel "test accuracy (test_acc)"
set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols 1
set xtics 1
set grid
set xrange [0:5]
set yrange [*:*]
plot "learning_curves.dat" index 0 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#1f77b4" fs transparent solid 0.18 noborder notitle, \
     "" index 0 using 1:2 with lines lc rgb "#1f77b4" lw 2 dt 1 title "activation=elu data.raw_pixels=false", \
     "learning_curves.dat" index 1 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#ff7f0e" fs transparent solid 0.18 noborder notitle, \
     "" index 1 using 1:2 with lines lc rgb "#ff7f0e" lw 2 dt 1 title "activation=elu data.raw_pixels=true", \
     "learning_curves.dat" index 2 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#2ca02c" fs transparent solid 0.18 noborder notitle, \
     "" index 2 using 1:2 with lines lc rgb "#2ca02c" lw 2 dt 1 title "activation=leaky_relu data.raw_pixels=false", \
     "learning_curves.dat" index 3 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#d62728" fs transparent solid 0.18 noborder notitle, \
     "" index 3 using 1:2 with lines lc rgb "#d62728" lw 2 dt 1 title "activation=relu data.raw_pixels=false", \
     "learning_curves.dat" index 4 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#9467bd" fs transparent solid 0.18 noborder notitle, \
     "" index 4 using 1:2 with lines lc rgb "#9467bd" lw 2 dt 1 title "activation=relu data.raw_pixels=true", \
     "learning_curves.dat" index 5 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#8c564b" fs transparent solid 0.18 noborder notitle, \
     "" index 5 using 1:2 with lines lc rgb "#8c564b" lw 2 dt 1 title "activation=sigmoid data.raw_pixels=false", \
     "learning_curves.dat" index 6 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#e377c2" fs transparent solid 0.18 noborder notitle, \
     "" index 6 using 1:2 with lines lc rgb "#e377c2" lw 2 dt 1 title "activation=sigmoid data.raw_pixels=true", \
     "learning_curves.dat" index 7 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#7f7f7f" fs transparent solid 0.18 noborder notitle, \
     "" index 7 using 1:2 with lines lc rgb "#7f7f7f" lw 2 dt 1 title "activation=tanh data.raw_pixels=false", \
     "learning_curves.dat" index 8 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#bcbd22" fs transparent solid 0.18 noborder notitle, \
     "" index 8 using 1:2 with lines lc rgb "#bcbd22" lw 2 dt 1 title "activation=tanh data.raw_pixels=true"

reset
set terminal pngcairo size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "learning_curves.png"
set title "test accuracy per epoch: mean over seeds, band +-1 std"
set xlabel "epoch"
set ylabel "test accuracy (test_acc)"
set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols 1
set xtics 1
set grid
set xrange [0:5]
set yrange [*:*]
plot "learning_curves.dat" index 0 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#1f77b4" fs transparent solid 0.18 noborder notitle, \
     "" index 0 using 1:2 with lines lc rgb "#1f77b4" lw 2 dt 1 title "activation=elu data.raw_pixels=false", \
     "learning_curves.dat" index 1 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#ff7f0e" fs transparent solid 0.18 noborder notitle, \
     "" index 1 using 1:2 with lines lc rgb "#ff7f0e" lw 2 dt 1 title "activation=elu data.raw_pixels=true", \
     "learning_curves.dat" index 2 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#2ca02c" fs transparent solid 0.18 noborder notitle, \
     "" index 2 using 1:2 with lines lc rgb "#2ca02c" lw 2 dt 1 title "activation=leaky_relu data.raw_pixels=false", \
     "learning_curves.dat" index 3 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#d62728" fs transparent solid 0.18 noborder notitle, \
     "" index 3 using 1:2 with lines lc rgb "#d62728" lw 2 dt 1 title "activation=relu data.raw_pixels=false", \
     "learning_curves.dat" index 4 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#9467bd" fs transparent solid 0.18 noborder notitle, \
     "" index 4 using 1:2 with lines lc rgb "#9467bd" lw 2 dt 1 title "activation=relu data.raw_pixels=true", \
     "learning_curves.dat" index 5 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#8c564b" fs transparent solid 0.18 noborder notitle, \
     "" index 5 using 1:2 with lines lc rgb "#8c564b" lw 2 dt 1 title "activation=sigmoid data.raw_pixels=false", \
     "learning_curves.dat" index 6 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#e377c2" fs transparent solid 0.18 noborder notitle, \
     "" index 6 using 1:2 with lines lc rgb "#e377c2" lw 2 dt 1 title "activation=sigmoid data.raw_pixels=true", \
     "learning_curves.dat" index 7 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#7f7f7f" fs transparent solid 0.18 noborder notitle, \
     "" index 7 using 1:2 with lines lc rgb "#7f7f7f" lw 2 dt 1 title "activation=tanh data.raw_pixels=false", \
     "learning_curves.dat" index 8 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#bcbd22" fs transparent solid 0.18 noborder notitle, \
     "" index 8 using 1:2 with lines lc rgb "#bcbd22" lw 2 dt 1 title "activation=tanh data.raw_pixels=true"

reset
set terminal svg size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "dead_fraction_by_layer.svg"
set title "dead fraction per hidden layer at the last epoch: mean over runs, bars +-1 std"
set xlabel "hidden layer"
set ylabel "dead fraction (dead_fraction)"
set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols 1
set xtics 1
unset mxtics
set grid
set xrange [0.5:2.5]
set yrange [0:1]
plot "dead_fraction_by_layer.dat" index 0 using ($1+-0.15):2:3 with yerrorlines lc rgb "#1f77b4" lw 2 dt 1 pt 1 ps 1.3 title "activation=elu data.raw_pixels=false", \
     "dead_fraction_by_layer.dat" index 1 using ($1+-0.1125):2:3 with yerrorlines lc rgb "#ff7f0e" lw 2 dt 1 pt 2 ps 1.3 title "activation=elu data.raw_pixels=true", \
     "dead_fraction_by_layer.dat" index 2 using ($1+-0.075):2:3 with yerrorlines lc rgb "#2ca02c" lw 2 dt 1 pt 3 ps 1.3 title "activation=leaky_relu data.raw_pixels=false", \
     "dead_fraction_by_layer.dat" index 3 using ($1+-0.0375):2:3 with yerrorlines lc rgb "#d62728" lw 2 dt 1 pt 4 ps 1.3 title "activation=relu data.raw_pixels=false", \
     "dead_fraction_by_layer.dat" index 4 using ($1+0):2:3 with yerrorlines lc rgb "#9467bd" lw 2 dt 1 pt 5 ps 1.3 title "activation=relu data.raw_pixels=true", \
     "dead_fraction_by_layer.dat" index 5 using ($1+0.0375):2:3 with yerrorlines lc rgb "#8c564b" lw 2 dt 1 pt 6 ps 1.3 title "activation=sigmoid data.raw_pixels=false", \
     "dead_fraction_by_layer.dat" index 6 using ($1+0.075):2:3 with yerrorlines lc rgb "#e377c2" lw 2 dt 1 pt 7 ps 1.3 title "activation=sigmoid data.raw_pixels=true", \
     "dead_fraction_by_layer.dat" index 7 using ($1+0.1125):2:3 with yerrorlines lc rgb "#7f7f7f" lw 2 dt 1 pt 8 ps 1.3 title "activation=tanh data.raw_pixels=false", \
     "dead_fraction_by_layer.dat" index 8 using ($1+0.15):2:3 with yerrorlines lc rgb "#bcbd22" lw 2 dt 1 pt 9 ps 1.3 title "activation=tanh data.raw_pixels=true"

reset
set terminal pngcairo size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "dead_fraction_by_layer.png"
set title "dead fraction per hidden layer at the last epoch: mean over runs, bars +-1 std"
set xlabel "hidden layer"
set ylabel "dead fraction (dead_fraction)"
set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols 1
set xtics 1
unset mxtics
set grid
set xrange [0.5:2.5]
set yrange [0:1]
plot "dead_fraction_by_layer.dat" index 0 using ($1+-0.15):2:3 with yerrorlines lc rgb "#1f77b4" lw 2 dt 1 pt 1 ps 1.3 title "activation=elu data.raw_pixels=false", \
     "dead_fraction_by_layer.dat" index 1 using ($1+-0.1125):2:3 with yerrorlines lc rgb "#ff7f0e" lw 2 dt 1 pt 2 ps 1.3 title "activation=elu data.raw_pixels=true", \
     "dead_fraction_by_layer.dat" index 2 using ($1+-0.075):2:3 with yerrorlines lc rgb "#2ca02c" lw 2 dt 1 pt 3 ps 1.3 title "activation=leaky_relu data.raw_pixels=false", \
     "dead_fraction_by_layer.dat" index 3 using ($1+-0.0375):2:3 with yerrorlines lc rgb "#d62728" lw 2 dt 1 pt 4 ps 1.3 title "activation=relu data.raw_pixels=false", \
     "dead_fraction_by_layer.dat" index 4 using ($1+0):2:3 with yerrorlines lc rgb "#9467bd" lw 2 dt 1 pt 5 ps 1.3 title "activation=relu data.raw_pixels=true", \
     "dead_fraction_by_layer.dat" index 5 using ($1+0.0375):2:3 with yerrorlines lc rgb "#8c564b" lw 2 dt 1 pt 6 ps 1.3 title "activation=sigmoid data.raw_pixels=false", \
     "dead_fraction_by_layer.dat" index 6 using ($1+0.075):2:3 with yerrorlines lc rgb "#e377c2" lw 2 dt 1 pt 7 ps 1.3 title "activation=sigmoid data.raw_pixels=true", \
     "dead_fraction_by_layer.dat" index 7 using ($1+0.1125):2:3 with yerrorlines lc rgb "#7f7f7f" lw 2 dt 1 pt 8 ps 1.3 title "activation=tanh data.raw_pixels=false", \
     "dead_fraction_by_layer.dat" index 8 using ($1+0.15):2:3 with yerrorlines lc rgb "#bcbd22" lw 2 dt 1 pt 9 ps 1.3 title "activation=tanh data.raw_pixels=true"

reset
set terminal svg size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "heatmap.svg"
set title "dead fraction (dead_fraction): mean over runs, by activation and data.raw_pixels"
set xlabel "activation"
set ylabel "data.raw_pixels"
set cblabel "dead fraction (dead_fraction)"
set xtics ("elu" 0, "leaky_relu" 1, "relu" 2, "sigmoid" 3, "tanh" 4) scale 0
set ytics ("false" 0, "true" 1) scale 0
unset mxtics
unset mytics
unset grid
unset key
set xrange [-0.5:4.5]
set yrange [-0.5:1.5]
set cbrange [0:1]
set palette defined (0 "#f7fcf5", 0.5 "#a1d99b", 1 "#41ab5d")
plot "heatmap.dat" index 0 using 1:2:(0.5):(0.5):3 with boxxyerror fc palette fs solid 1.0 noborder, \
     "" index 0 using 1:2:(sprintf("%.3g", $3)) with labels tc rgb "black", \
     "" index 1 using 1:2:(0.5):(0.5) with boxxyerror fc rgb "#d9d9d9" fs solid 1.0 noborder, \
     "" index 1 using 1:2:("no runs") with labels tc rgb "#555555"

reset
set terminal pngcairo size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "heatmap.png"
set title "dead fraction (dead_fraction): mean over runs, by activation and data.raw_pixels"
set xlabel "activation"
set ylabel "data.raw_pixels"
set cblabel "dead fraction (dead_fraction)"
set xtics ("elu" 0, "leaky_relu" 1, "relu" 2, "sigmoid" 3, "tanh" 4) scale 0
set ytics ("false" 0, "true" 1) scale 0
unset mxtics
unset mytics
unset grid
unset key
set xrange [-0.5:4.5]
set yrange [-0.5:1.5]
set cbrange [0:1]
set palette defined (0 "#f7fcf5", 0.5 "#a1d99b", 1 "#41ab5d")
plot "heatmap.dat" index 0 using 1:2:(0.5):(0.5):3 with boxxyerror fc palette fs solid 1.0 noborder, \
     "" index 0 using 1:2:(sprintf("%.3g", $3)) with labels tc rgb "black", \
     "" index 1 using 1:2:(0.5):(0.5) with boxxyerror fc rgb "#d9d9d9" fs solid 1.0 noborder, \
     "" index 1 using 1:2:("no runs") with labels tc rgb "#555555"

unset output
