# Written by actsweep (results/plots.cpp); run `gnuplot plots.gp` in this directory.

reset
set terminal svg size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "learning_curves.svg"
set title "test loss per epoch: mean over seeds, band +-1 std"
set xlabel "epoch"
set ylabel "test loss (test_loss)"
set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols 3
set xtics 1
set grid
set xrange [0:1]
set yrange [0:*]
plot "learning_curves.dat" index 0 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#1f77b4" fs transparent solid 0.18 noborder notitle, \
     "" index 0 using 1:2 with lines lc rgb "#1f77b4" lw 2 dt 1 title "width=2 depth=2", \
     "learning_curves.dat" index 1 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#ff7f0e" fs transparent solid 0.18 noborder notitle, \
     "" index 1 using 1:2 with lines lc rgb "#ff7f0e" lw 2 dt 1 title "width=2 depth=5", \
     "learning_curves.dat" index 2 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#2ca02c" fs transparent solid 0.18 noborder notitle, \
     "" index 2 using 1:2 with lines lc rgb "#2ca02c" lw 2 dt 1 title "width=2 depth=10", \
     "learning_curves.dat" index 3 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#d62728" fs transparent solid 0.18 noborder notitle, \
     "" index 3 using 1:2 with lines lc rgb "#d62728" lw 2 dt 1 title "width=2 depth=20", \
     "learning_curves.dat" index 4 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#9467bd" fs transparent solid 0.18 noborder notitle, \
     "" index 4 using 1:2 with lines lc rgb "#9467bd" lw 2 dt 1 title "width=3 depth=2", \
     "learning_curves.dat" index 5 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#8c564b" fs transparent solid 0.18 noborder notitle, \
     "" index 5 using 1:2 with lines lc rgb "#8c564b" lw 2 dt 1 title "width=3 depth=5", \
     "learning_curves.dat" index 6 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#e377c2" fs transparent solid 0.18 noborder notitle, \
     "" index 6 using 1:2 with lines lc rgb "#e377c2" lw 2 dt 1 title "width=3 depth=10", \
     "learning_curves.dat" index 7 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#7f7f7f" fs transparent solid 0.18 noborder notitle, \
     "" index 7 using 1:2 with lines lc rgb "#7f7f7f" lw 2 dt 1 title "width=3 depth=20", \
     "learning_curves.dat" index 8 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#bcbd22" fs transparent solid 0.18 noborder notitle, \
     "" index 8 using 1:2 with lines lc rgb "#bcbd22" lw 2 dt 1 title "width=5 depth=2", \
     "learning_curves.dat" index 9 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#17becf" fs transparent solid 0.18 noborder notitle, \
     "" index 9 using 1:2 with lines lc rgb "#17becf" lw 2 dt 1 title "width=5 depth=5", \
     "learning_curves.dat" index 10 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#1f77b4" fs transparent solid 0.18 noborder notitle, \
     "" index 10 using 1:2 with lines lc rgb "#1f77b4" lw 2 dt 2 title "width=5 depth=10", \
     "learning_curves.dat" index 11 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#ff7f0e" fs transparent solid 0.18 noborder notitle, \
     "" index 11 using 1:2 with lines lc rgb "#ff7f0e" lw 2 dt 2 title "width=5 depth=20", \
     "learning_curves.dat" index 12 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#2ca02c" fs transparent solid 0.18 noborder notitle, \
     "" index 12 using 1:2 with lines lc rgb "#2ca02c" lw 2 dt 2 title "width=10 depth=2", \
     "learning_curves.dat" index 13 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#d62728" fs transparent solid 0.18 noborder notitle, \
     "" index 13 using 1:2 with lines lc rgb "#d62728" lw 2 dt 2 title "width=10 depth=5", \
     "learning_curves.dat" index 14 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#9467bd" fs transparent solid 0.18 noborder notitle, \
     "" index 14 using 1:2 with lines lc rgb "#9467bd" lw 2 dt 2 title "width=10 depth=10", \
     "learning_curves.dat" index 15 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#8c564b" fs transparent solid 0.18 noborder notitle, \
     "" index 15 using 1:2 with lines lc rgb "#8c564b" lw 2 dt 2 title "width=10 depth=20"

reset
set terminal pngcairo size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "learning_curves.png"
set title "test loss per epoch: mean over seeds, band +-1 std"
set xlabel "epoch"
set ylabel "test loss (test_loss)"
set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols 3
set xtics 1
set grid
set xrange [0:1]
set yrange [0:*]
plot "learning_curves.dat" index 0 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#1f77b4" fs transparent solid 0.18 noborder notitle, \
     "" index 0 using 1:2 with lines lc rgb "#1f77b4" lw 2 dt 1 title "width=2 depth=2", \
     "learning_curves.dat" index 1 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#ff7f0e" fs transparent solid 0.18 noborder notitle, \
     "" index 1 using 1:2 with lines lc rgb "#ff7f0e" lw 2 dt 1 title "width=2 depth=5", \
     "learning_curves.dat" index 2 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#2ca02c" fs transparent solid 0.18 noborder notitle, \
     "" index 2 using 1:2 with lines lc rgb "#2ca02c" lw 2 dt 1 title "width=2 depth=10", \
     "learning_curves.dat" index 3 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#d62728" fs transparent solid 0.18 noborder notitle, \
     "" index 3 using 1:2 with lines lc rgb "#d62728" lw 2 dt 1 title "width=2 depth=20", \
     "learning_curves.dat" index 4 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#9467bd" fs transparent solid 0.18 noborder notitle, \
     "" index 4 using 1:2 with lines lc rgb "#9467bd" lw 2 dt 1 title "width=3 depth=2", \
     "learning_curves.dat" index 5 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#8c564b" fs transparent solid 0.18 noborder notitle, \
     "" index 5 using 1:2 with lines lc rgb "#8c564b" lw 2 dt 1 title "width=3 depth=5", \
     "learning_curves.dat" index 6 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#e377c2" fs transparent solid 0.18 noborder notitle, \
     "" index 6 using 1:2 with lines lc rgb "#e377c2" lw 2 dt 1 title "width=3 depth=10", \
     "learning_curves.dat" index 7 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#7f7f7f" fs transparent solid 0.18 noborder notitle, \
     "" index 7 using 1:2 with lines lc rgb "#7f7f7f" lw 2 dt 1 title "width=3 depth=20", \
     "learning_curves.dat" index 8 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#bcbd22" fs transparent solid 0.18 noborder notitle, \
     "" index 8 using 1:2 with lines lc rgb "#bcbd22" lw 2 dt 1 title "width=5 depth=2", \
     "learning_curves.dat" index 9 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#17becf" fs transparent solid 0.18 noborder notitle, \
     "" index 9 using 1:2 with lines lc rgb "#17becf" lw 2 dt 1 title "width=5 depth=5", \
     "learning_curves.dat" index 10 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#1f77b4" fs transparent solid 0.18 noborder notitle, \
     "" index 10 using 1:2 with lines lc rgb "#1f77b4" lw 2 dt 2 title "width=5 depth=10", \
     "learning_curves.dat" index 11 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#ff7f0e" fs transparent solid 0.18 noborder notitle, \
     "" index 11 using 1:2 with lines lc rgb "#ff7f0e" lw 2 dt 2 title "width=5 depth=20", \
     "learning_curves.dat" index 12 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#2ca02c" fs transparent solid 0.18 noborder notitle, \
     "" index 12 using 1:2 with lines lc rgb "#2ca02c" lw 2 dt 2 title "width=10 depth=2", \
     "learning_curves.dat" index 13 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#d62728" fs transparent solid 0.18 noborder notitle, \
     "" index 13 using 1:2 with lines lc rgb "#d62728" lw 2 dt 2 title "width=10 depth=5", \
     "learning_curves.dat" index 14 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#9467bd" fs transparent solid 0.18 noborder notitle, \
     "" index 14 using 1:2 with lines lc rgb "#9467bd" lw 2 dt 2 title "width=10 depth=10", \
     "learning_curves.dat" index 15 using 1:($2-$3):($2+$3) with filledcurves lc rgb "#8c564b" fs transparent solid 0.18 noborder notitle, \
     "" index 15 using 1:2 with lines lc rgb "#8c564b" lw 2 dt 2 title "width=10 depth=20"

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
set xrange [0.5:20.5]
set yrange [0:0.593838]
plot "dead_fraction_by_layer.dat" index 0 using ($1+-0.15):2:3 with yerrorlines lc rgb "#1f77b4" lw 2 dt 1 pt 1 ps 1.3 title "width=2 depth=2", \
     "dead_fraction_by_layer.dat" index 1 using ($1+-0.13):2:3 with yerrorlines lc rgb "#ff7f0e" lw 2 dt 1 pt 2 ps 1.3 title "width=2 depth=5", \
     "dead_fraction_by_layer.dat" index 2 using ($1+-0.11):2:3 with yerrorlines lc rgb "#2ca02c" lw 2 dt 1 pt 3 ps 1.3 title "width=2 depth=10", \
     "dead_fraction_by_layer.dat" index 3 using ($1+-0.09):2:3 with yerrorlines lc rgb "#d62728" lw 2 dt 1 pt 4 ps 1.3 title "width=2 depth=20", \
     "dead_fraction_by_layer.dat" index 4 using ($1+-0.07):2:3 with yerrorlines lc rgb "#9467bd" lw 2 dt 1 pt 5 ps 1.3 title "width=3 depth=2", \
     "dead_fraction_by_layer.dat" index 5 using ($1+-0.05):2:3 with yerrorlines lc rgb "#8c564b" lw 2 dt 1 pt 6 ps 1.3 title "width=3 depth=5", \
     "dead_fraction_by_layer.dat" index 6 using ($1+-0.03):2:3 with yerrorlines lc rgb "#e377c2" lw 2 dt 1 pt 7 ps 1.3 title "width=3 depth=10", \
     "dead_fraction_by_layer.dat" index 7 using ($1+-0.01):2:3 with yerrorlines lc rgb "#7f7f7f" lw 2 dt 1 pt 8 ps 1.3 title "width=3 depth=20", \
     "dead_fraction_by_layer.dat" index 8 using ($1+0.01):2:3 with yerrorlines lc rgb "#bcbd22" lw 2 dt 1 pt 9 ps 1.3 title "width=5 depth=2", \
     "dead_fraction_by_layer.dat" index 9 using ($1+0.03):2:3 with yerrorlines lc rgb "#17becf" lw 2 dt 1 pt 10 ps 1.3 title "width=5 depth=5", \
     "dead_fraction_by_layer.dat" index 10 using ($1+0.05):2:3 with yerrorlines lc rgb "#1f77b4" lw 2 dt 2 pt 11 ps 1.3 title "width=5 depth=10", \
     "dead_fraction_by_layer.dat" index 11 using ($1+0.07):2:3 with yerrorlines lc rgb "#ff7f0e" lw 2 dt 2 pt 12 ps 1.3 title "width=5 depth=20", \
     "dead_fraction_by_layer.dat" index 12 using ($1+0.09):2:3 with yerrorlines lc rgb "#2ca02c" lw 2 dt 2 pt 13 ps 1.3 title "width=10 depth=2", \
     "dead_fraction_by_layer.dat" index 13 using ($1+0.11):2:3 with yerrorlines lc rgb "#d62728" lw 2 dt 2 pt 1 ps 1.3 title "width=10 depth=5", \
     "dead_fraction_by_layer.dat" index 14 using ($1+0.13):2:3 with yerrorlines lc rgb "#9467bd" lw 2 dt 2 pt 2 ps 1.3 title "width=10 depth=10", \
     "dead_fraction_by_layer.dat" index 15 using ($1+0.15):2:3 with yerrorlines lc rgb "#8c564b" lw 2 dt 2 pt 3 ps 1.3 title "width=10 depth=20"

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
set xrange [0.5:20.5]
set yrange [0:0.593838]
plot "dead_fraction_by_layer.dat" index 0 using ($1+-0.15):2:3 with yerrorlines lc rgb "#1f77b4" lw 2 dt 1 pt 1 ps 1.3 title "width=2 depth=2", \
     "dead_fraction_by_layer.dat" index 1 using ($1+-0.13):2:3 with yerrorlines lc rgb "#ff7f0e" lw 2 dt 1 pt 2 ps 1.3 title "width=2 depth=5", \
     "dead_fraction_by_layer.dat" index 2 using ($1+-0.11):2:3 with yerrorlines lc rgb "#2ca02c" lw 2 dt 1 pt 3 ps 1.3 title "width=2 depth=10", \
     "dead_fraction_by_layer.dat" index 3 using ($1+-0.09):2:3 with yerrorlines lc rgb "#d62728" lw 2 dt 1 pt 4 ps 1.3 title "width=2 depth=20", \
     "dead_fraction_by_layer.dat" index 4 using ($1+-0.07):2:3 with yerrorlines lc rgb "#9467bd" lw 2 dt 1 pt 5 ps 1.3 title "width=3 depth=2", \
     "dead_fraction_by_layer.dat" index 5 using ($1+-0.05):2:3 with yerrorlines lc rgb "#8c564b" lw 2 dt 1 pt 6 ps 1.3 title "width=3 depth=5", \
     "dead_fraction_by_layer.dat" index 6 using ($1+-0.03):2:3 with yerrorlines lc rgb "#e377c2" lw 2 dt 1 pt 7 ps 1.3 title "width=3 depth=10", \
     "dead_fraction_by_layer.dat" index 7 using ($1+-0.01):2:3 with yerrorlines lc rgb "#7f7f7f" lw 2 dt 1 pt 8 ps 1.3 title "width=3 depth=20", \
     "dead_fraction_by_layer.dat" index 8 using ($1+0.01):2:3 with yerrorlines lc rgb "#bcbd22" lw 2 dt 1 pt 9 ps 1.3 title "width=5 depth=2", \
     "dead_fraction_by_layer.dat" index 9 using ($1+0.03):2:3 with yerrorlines lc rgb "#17becf" lw 2 dt 1 pt 10 ps 1.3 title "width=5 depth=5", \
     "dead_fraction_by_layer.dat" index 10 using ($1+0.05):2:3 with yerrorlines lc rgb "#1f77b4" lw 2 dt 2 pt 11 ps 1.3 title "width=5 depth=10", \
     "dead_fraction_by_layer.dat" index 11 using ($1+0.07):2:3 with yerrorlines lc rgb "#ff7f0e" lw 2 dt 2 pt 12 ps 1.3 title "width=5 depth=20", \
     "dead_fraction_by_layer.dat" index 12 using ($1+0.09):2:3 with yerrorlines lc rgb "#2ca02c" lw 2 dt 2 pt 13 ps 1.3 title "width=10 depth=2", \
     "dead_fraction_by_layer.dat" index 13 using ($1+0.11):2:3 with yerrorlines lc rgb "#d62728" lw 2 dt 2 pt 1 ps 1.3 title "width=10 depth=5", \
     "dead_fraction_by_layer.dat" index 14 using ($1+0.13):2:3 with yerrorlines lc rgb "#9467bd" lw 2 dt 2 pt 2 ps 1.3 title "width=10 depth=10", \
     "dead_fraction_by_layer.dat" index 15 using ($1+0.15):2:3 with yerrorlines lc rgb "#8c564b" lw 2 dt 2 pt 3 ps 1.3 title "width=10 depth=20"

reset
set terminal svg size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "heatmap.svg"
set title "fraction of runs born dead (born_dead): mean over runs, by width and depth"
set xlabel "width"
set ylabel "depth"
set cblabel "fraction of runs born dead (born_dead)"
set xtics ("2" 0, "3" 1, "5" 2, "10" 3) scale 0
set ytics ("2" 0, "5" 1, "10" 2, "20" 3) scale 0
unset mxtics
unset mytics
unset grid
unset key
set xrange [-0.5:3.5]
set yrange [-0.5:3.5]
set cbrange [0:0.575]
set palette defined (0 "#f7fcf5", 0.5 "#a1d99b", 1 "#41ab5d")
plot "heatmap.dat" index 0 using 1:2:(0.5):(0.5):3 with boxxyerror fc palette fs solid 1.0 noborder, \
     "" index 0 using 1:2:(sprintf("%.3g", $3)) with labels tc rgb "black"

reset
set terminal pngcairo size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "heatmap.png"
set title "fraction of runs born dead (born_dead): mean over runs, by width and depth"
set xlabel "width"
set ylabel "depth"
set cblabel "fraction of runs born dead (born_dead)"
set xtics ("2" 0, "3" 1, "5" 2, "10" 3) scale 0
set ytics ("2" 0, "5" 1, "10" 2, "20" 3) scale 0
unset mxtics
unset mytics
unset grid
unset key
set xrange [-0.5:3.5]
set yrange [-0.5:3.5]
set cbrange [0:0.575]
set palette defined (0 "#f7fcf5", 0.5 "#a1d99b", 1 "#41ab5d")
plot "heatmap.dat" index 0 using 1:2:(0.5):(0.5):3 with boxxyerror fc palette fs solid 1.0 noborder, \
     "" index 0 using 1:2:(sprintf("%.3g", $3)) with labels tc rgb "black"

reset
set terminal svg size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "born_dead_vs_width.svg"
set title "fraction of runs born dead (born_dead) against width: mean over runs, bars 95% CI"
set xlabel "width"
set ylabel "fraction of runs born dead (born_dead)"
set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols 3
set xtics ("2" 2, "3" 3, "5" 5, "10" 10)
unset mxtics
set yrange [0:0.695632]
set autoscale xfix
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
set grid
plot "born_dead_vs_width.dat" index 0 using ($1+-0.16):2:3:4 with yerrorlines lc rgb "#1f77b4" lw 2 dt 1 pt 1 ps 1.3 title "depth=2", \
     "born_dead_vs_width.dat" index 1 using ($1+-0.0533333):2:3:4 with yerrorlines lc rgb "#ff7f0e" lw 2 dt 1 pt 2 ps 1.3 title "depth=5", \
     "born_dead_vs_width.dat" index 2 using ($1+0.0533333):2:3:4 with yerrorlines lc rgb "#2ca02c" lw 2 dt 1 pt 3 ps 1.3 title "depth=10", \
     "born_dead_vs_width.dat" index 3 using ($1+0.16):2:3:4 with yerrorlines lc rgb "#d62728" lw 2 dt 1 pt 4 ps 1.3 title "depth=20"

reset
set terminal pngcairo size 900,600 font "Sans,12" noenhanced background rgb "white"
set output "born_dead_vs_width.png"
set title "fraction of runs born dead (born_dead) against width: mean over runs, bars 95% CI"
set xlabel "width"
set ylabel "fraction of runs born dead (born_dead)"
set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols 3
set xtics ("2" 2, "3" 3, "5" 5, "10" 10)
unset mxtics
set yrange [0:0.695632]
set autoscale xfix
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
set grid
plot "born_dead_vs_width.dat" index 0 using ($1+-0.16):2:3:4 with yerrorlines lc rgb "#1f77b4" lw 2 dt 1 pt 1 ps 1.3 title "depth=2", \
     "born_dead_vs_width.dat" index 1 using ($1+-0.0533333):2:3:4 with yerrorlines lc rgb "#ff7f0e" lw 2 dt 1 pt 2 ps 1.3 title "depth=5", \
     "born_dead_vs_width.dat" index 2 using ($1+0.0533333):2:3:4 with yerrorlines lc rgb "#2ca02c" lw 2 dt 1 pt 3 ps 1.3 title "depth=10", \
     "born_dead_vs_width.dat" index 3 using ($1+0.16):2:3:4 with yerrorlines lc rgb "#d62728" lw 2 dt 1 pt 4 ps 1.3 title "depth=20"

unset output
