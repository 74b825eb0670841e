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
set xrange [0:10]
set yrange [*:*]
plot "learning_curves.dat" index 0 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#1f77b4" fs transparent solid 0.18 noborder notitle, \
     "" index 0 using 1:2 with lines lc rgb "#1f77b4" lw 2 dt 1 title "alpha=0", \
     "learning_curves.dat" index 1 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#ff7f0e" fs transparent solid 0.18 noborder notitle, \
     "" index 1 using 1:2 with lines lc rgb "#ff7f0e" lw 2 dt 1 title "alpha=0.01", \
     "learning_curves.dat" index 2 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#2ca02c" fs transparent solid 0.18 noborder notitle, \
     "" index 2 using 1:2 with lines lc rgb "#2ca02c" lw 2 dt 1 title "alpha=0.05", \
     "learning_curves.dat" index 3 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#d62728" fs transparent solid 0.18 noborder notitle, \
     "" index 3 using 1:2 with lines lc rgb "#d62728" lw 2 dt 1 title "alpha=0.1", \
     "learning_curves.dat" index 4 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#9467bd" fs transparent solid 0.18 noborder notitle, \
     "" index 4 using 1:2 with lines lc rgb "#9467bd" lw 2 dt 1 title "alpha=0.2", \
     "learning_curves.dat" index 5 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#8c564b" fs transparent solid 0.18 noborder notitle, \
     "" index 5 using 1:2 with lines lc rgb "#8c564b" lw 2 dt 1 title "alpha=0.3", \
     "learning_curves.dat" index 6 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#e377c2" fs transparent solid 0.18 noborder notitle, \
     "" index 6 using 1:2 with lines lc rgb "#e377c2" lw 2 dt 1 title "alpha=0.5"

reset
set terminal pngcairo size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "learning_curves.png"
set title "test accuracy per epoch: mean over seeds, band +-1 std"
set xlabel "epoch"
set ylabel "test accuracy (test_acc)"
set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols 3
set xtics 1
set grid
set xrange [0:10]
set yrange [*:*]
plot "learning_curves.dat" index 0 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#1f77b4" fs transparent solid 0.18 noborder notitle, \
     "" index 0 using 1:2 with lines lc rgb "#1f77b4" lw 2 dt 1 title "alpha=0", \
     "learning_curves.dat" index 1 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#ff7f0e" fs transparent solid 0.18 noborder notitle, \
     "" index 1 using 1:2 with lines lc rgb "#ff7f0e" lw 2 dt 1 title "alpha=0.01", \
     "learning_curves.dat" index 2 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#2ca02c" fs transparent solid 0.18 noborder notitle, \
     "" index 2 using 1:2 with lines lc rgb "#2ca02c" lw 2 dt 1 title "alpha=0.05", \
     "learning_curves.dat" index 3 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#d62728" fs transparent solid 0.18 noborder notitle, \
     "" index 3 using 1:2 with lines lc rgb "#d62728" lw 2 dt 1 title "alpha=0.1", \
     "learning_curves.dat" index 4 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#9467bd" fs transparent solid 0.18 noborder notitle, \
     "" index 4 using 1:2 with lines lc rgb "#9467bd" lw 2 dt 1 title "alpha=0.2", \
     "learning_curves.dat" index 5 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#8c564b" fs transparent solid 0.18 noborder notitle, \
     "" index 5 using 1:2 with lines lc rgb "#8c564b" lw 2 dt 1 title "alpha=0.3", \
     "learning_curves.dat" index 6 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#e377c2" fs transparent solid 0.18 noborder notitle, \
     "" index 6 using 1:2 with lines lc rgb "#e377c2" lw 2 dt 1 title "alpha=0.5"

reset
set terminal svg size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "dead_fraction_by_layer.svg"
set title "dead fraction per hidden layer at the last epoch: mean over runs, bars +-1 std"
set xlabel "hidden layer"
set ylabel "dead fraction (dead_fraction)"
set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols 3
set xtics 1
unset mxtics
set grid
set xrange [0.5:10.5]
set yrange [0:0.196317]
plot "dead_fraction_by_layer.dat" index 0 using ($1+-0.12):2:3 with yerrorlines lc rgb "#1f77b4" lw 2 dt 1 pt 1 ps 1.3 title "alpha=0", \
     "dead_fraction_by_layer.dat" index 1 using ($1+-0.08):2:3 with yerrorlines lc rgb "#ff7f0e" lw 2 dt 1 pt 2 ps 1.3 title "alpha=0.01", \
     "dead_fraction_by_layer.dat" index 2 using ($1+-0.04):2:3 with yerrorlines lc rgb "#2ca02c" lw 2 dt 1 pt 3 ps 1.3 title "alpha=0.05", \
     "dead_fraction_by_layer.dat" index 3 using ($1+0):2:3 with yerrorlines lc rgb "#d62728" lw 2 dt 1 pt 4 ps 1.3 title "alpha=0.1", \
     "dead_fraction_by_layer.dat" index 4 using ($1+0.04):2:3 with yerrorlines lc rgb "#9467bd" lw 2 dt 1 pt 5 ps 1.3 title "alpha=0.2", \
     "dead_fraction_by_layer.dat" index 5 using ($1+0.08):2:3 with yerrorlines lc rgb "#8c564b" lw 2 dt 1 pt 6 ps 1.3 title "alpha=0.3", \
     "dead_fraction_by_layer.dat" index 6 using ($1+0.12):2:3 with yerrorlines lc rgb "#e377c2" lw 2 dt 1 pt 7 ps 1.3 title "alpha=0.5"

reset
set terminal pngcairo size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "dead_fraction_by_layer.png"
set title "dead fraction per hidden layer at the last epoch: mean over runs, bars +-1 std"
set xlabel "hidden layer"
set ylabel "dead fraction (dead_fraction)"
set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols 3
set xtics 1
unset mxtics
set grid
set xrange [0.5:10.5]
set yrange [0:0.196317]
plot "dead_fraction_by_layer.dat" index 0 using ($1+-0.12):2:3 with yerrorlines lc rgb "#1f77b4" lw 2 dt 1 pt 1 ps 1.3 title "alpha=0", \
     "dead_fraction_by_layer.dat" index 1 using ($1+-0.08):2:3 with yerrorlines lc rgb "#ff7f0e" lw 2 dt 1 pt 2 ps 1.3 title "alpha=0.01", \
     "dead_fraction_by_layer.dat" index 2 using ($1+-0.04):2:3 with yerrorlines lc rgb "#2ca02c" lw 2 dt 1 pt 3 ps 1.3 title "alpha=0.05", \
     "dead_fraction_by_layer.dat" index 3 using ($1+0):2:3 with yerrorlines lc rgb "#d62728" lw 2 dt 1 pt 4 ps 1.3 title "alpha=0.1", \
     "dead_fraction_by_layer.dat" index 4 using ($1+0.04):2:3 with yerrorlines lc rgb "#9467bd" lw 2 dt 1 pt 5 ps 1.3 title "alpha=0.2", \
     "dead_fraction_by_layer.dat" index 5 using ($1+0.08):2:3 with yerrorlines lc rgb "#8c564b" lw 2 dt 1 pt 6 ps 1.3 title "alpha=0.3", \
     "dead_fraction_by_layer.dat" index 6 using ($1+0.12):2:3 with yerrorlines lc rgb "#e377c2" lw 2 dt 1 pt 7 ps 1.3 title "alpha=0.5"

reset
set terminal svg size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "dead_fraction_vs_alpha.svg"
set title "dead fraction (dead_fraction) against alpha: mean over runs, bars 95% CI"
set xlabel "alpha"
set ylabel "dead fraction (dead_fraction)"
unset key
set xtics ("0" 0, "" 0.01, "0.05" 0.05, "0.1" 0.1, "0.2" 0.2, "0.3" 0.3, "0.5" 0.5)
unset mxtics
set yrange [0:0.0599151]
set autoscale xfix
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
set grid
plot "dead_fraction_vs_alpha.dat" index 0 using ($1+0):2:3:4 with yerrorlines lc rgb "#1f77b4" lw 2 dt 1 pt 1 ps 1.3 title "all runs"

reset
set terminal pngcairo size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "dead_fraction_vs_alpha.png"
set title "dead fraction (dead_fraction) against alpha: mean over runs, bars 95% CI"
set xlabel "alpha"
set ylabel "dead fraction (dead_fraction)"
unset key
set xtics ("0" 0, "" 0.01, "0.05" 0.05, "0.1" 0.1, "0.2" 0.2, "0.3" 0.3, "0.5" 0.5)
unset mxtics
set yrange [0:0.0599151]
set autoscale xfix
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
set grid
plot "dead_fraction_vs_alpha.dat" index 0 using ($1+0):2:3:4 with yerrorlines lc rgb "#1f77b4" lw 2 dt 1 pt 1 ps 1.3 title "all runs"

unset output
