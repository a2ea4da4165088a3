package dev.labbook.train.plot;

import dev.labbook.train.eval.Evaluation;
import dev.labbook.train.eval.Evaluator.RocPoint;
import dev.labbook.train.pipeline.History;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The PNG plots of a run: loss and accuracy per epoch, ROC curve, confusion matrix and the
 * histogram of scores. Drawn headless; the JVM needs {@code java.awt.headless=true} on a server.
 */
public final class Plots {
    private static final int W = 800;
    private static final int H = 600;

    private Plots() {}

    /** Loss (top) and accuracy (bottom) of train and validation per epoch. */
    public static void learningCurves(History history, Path file) throws IOException {
        NumberAxis epochAxis = new NumberAxis("epoch");
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
        plot.add(curves(history, "loss", History.Epoch::trainLoss, History.Epoch::valLoss));
        plot.add(curves(history, "accuracy", History.Epoch::trainAccuracy, History.Epoch::valAccuracy));
        save(new JFreeChart("Loss and accuracy per epoch", JFreeChart.DEFAULT_TITLE_FONT, plot, true), file);
    }

    private static XYPlot curves(History history, String what, ToDoubleFunction<History.Epoch> train,
                                 ToDoubleFunction<History.Epoch> val) {
        XYSeries t = new XYSeries("train " + what);
        XYSeries v = new XYSeries("validation " + what);
        for (History.Epoch e : history.epochs()) {
            add(t, e.epoch(), train.applyAsDouble(e));
            add(v, e.epoch(), val.applyAsDouble(e));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(t);
        data.addSeries(v);
        NumberAxis axis = new NumberAxis(what);
        axis.setAutoRangeIncludesZero(false);
        return new XYPlot(data, null, axis, new XYLineAndShapeRenderer(true, true));
    }

    private static void add(XYSeries s, double x, double y) {
        if (Double.isFinite(y)) {
            s.add(x, y);
        }
    }

    /** The ROC curve with the chance diagonal and the AUC in the title. */
    public static void roc(List<RocPoint> points, double auc, Path file) throws IOException {
        XYSeries curve = new XYSeries("model", false);
        // thousands of thresholds add nothing visible; keep about 1000 points
        int stride = Math.max(1, points.size() / 1000);
        for (int i = 0; i < points.size(); i += stride) {
            curve.add(points.get(i).falsePositiveRate(), points.get(i).truePositiveRate());
        }
        RocPoint last = points.get(points.size() - 1);
        curve.add(last.falsePositiveRate(), last.truePositiveRate());
        XYSeries chance = new XYSeries("chance");
        chance.add(0, 0);
        chance.add(1, 1);
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(curve);
        data.addSeries(chance);
        NumberAxis x = new NumberAxis("false positive rate");
        NumberAxis y = new NumberAxis("true positive rate");
        x.setRange(0, 1);
        y.setRange(0, 1);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setSeriesStroke(1, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 6f}, 0f));
        r.setSeriesPaint(1, Color.GRAY);
        String title = String.format(Locale.ROOT, "ROC curve (AUC %.4f)", auc);
        save(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, new XYPlot(data, x, y, r), true), file);
    }

    /** Scores of positive and negative texts, 50 bins over [0, 1]. */
    public static void scoreHistogram(int[] labels, double[] scores, Path file) throws IOException {
        int pos = 0;
        for (int l : labels) {
            pos += l;
        }
        double[] p = new double[pos];
        double[] n = new double[labels.length - pos];
        for (int i = 0, a = 0, b = 0; i < labels.length; i++) {
            if (labels[i] == 1) {
                p[a++] = scores[i];
            } else {
                n[b++] = scores[i];
            }
        }
        HistogramDataset data = new HistogramDataset();
        if (n.length > 0) {
            data.addSeries("negative texts", n, 50, 0, 1);
        }
        if (p.length > 0) {
            data.addSeries("positive texts", p, 50, 0, 1);
        }
        XYBarRenderer r = new XYBarRenderer();
        r.setShadowVisible(false);
        r.setSeriesPaint(0, new Color(200, 60, 60, 150));
        r.setSeriesPaint(1, new Color(60, 90, 200, 150));
        XYPlot plot = new XYPlot(data, new NumberAxis("score (probability of positive)"), new NumberAxis("texts"), r);
        plot.setForegroundAlpha(0.7f);
        save(new JFreeChart("Score histogram", JFreeChart.DEFAULT_TITLE_FONT, plot, true), file);
    }

    /** The 2x2 confusion matrix as shaded cells with counts and shares. */
    public static void confusionMatrix(Evaluation e, Path file) throws IOException {
        BufferedImage img = new BufferedImage(600, 520, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        g.drawString("Confusion matrix", 210, 35);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        g.drawString("predicted negative", 160, 80);
        g.drawString("predicted positive", 360, 80);
        g.drawString("actual negative", 10, 185);
        g.drawString("actual positive", 10, 385);
        int[][] cells = {{e.tn(), e.fp()}, {e.fn(), e.tp()}};
        int total = Math.max(1, e.count());
        for (int row = 0; row < 2; row++) {
            for (int col = 0; col < 2; col++) {
                int x = 150 + col * 200;
                int y = 95 + row * 200;
                double share = cells[row][col] / (double) total;
                int shade = (int) (255 - Math.min(1, share * 2) * 200);
                g.setColor(row == col ? new Color(shade, shade, 255) : new Color(255, shade, shade));
                g.fillRect(x, y, 195, 195);
                g.setColor(Color.BLACK);
                g.drawRect(x, y, 195, 195);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 24));
                g.drawString(String.format(Locale.ROOT, "%,d", cells[row][col]), x + 50, y + 95);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
                g.drawString(String.format(Locale.ROOT, "%.1f%%", 100 * share), x + 65, y + 125);
            }
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static void save(JFreeChart chart, Path file) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, W, H);
    }
}
