package dev.gpudev.bot.pictures;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The usage chart: one bar per row, reserved in light blue, the busy part dark over it, reclaimed idle in red after it. */
class UsageChartTest {
    @Test
    void barsAreDrawnToScaleInTheirColours() throws Exception {
        List<UsageChart.Bar> bars = List.of(new UsageChart.Bar("@U0ANA", 20, 10.0, 0), new UsageChart.Bar("@U0BO", 10, null, 10));
        byte[] png = UsageChart.png("GPU usage", bars);
        BufferedImage image = TimelinePictureTest.decode(png);
        var layout = UsageChart.layout(bars);

        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(44 + 2 * 26 + 40);
        var ana = layout.rows().get(0);
        var bo = layout.rows().get(1);
        // the longest bar (20 + 0 or 10 + 10 GPU-hours) fills the plot; ana's busy half is dark, the rest light
        assertThat(ana.reservedWidth()).isEqualTo(900 - 180 - 150);
        assertThat(ana.busyWidth()).isEqualTo(ana.reservedWidth() / 2);
        assertThat(rgb(image, ana.x() + ana.busyWidth() / 2, ana.y() + 2)).isEqualTo(rgb(UsageChart.BUSY));
        assertThat(rgb(image, ana.x() + ana.busyWidth() + ana.busyWidth() / 2, ana.y() + 2)).isEqualTo(rgb(UsageChart.RESERVED));
        // bo: busy unknown, so no dark part; reclaimed half after the reserved half
        assertThat(bo.busyWidth()).isZero();
        assertThat(rgb(image, bo.x() + 2, bo.y() + 2)).isEqualTo(rgb(UsageChart.RESERVED));
        assertThat(rgb(image, bo.x() + bo.reservedWidth() + bo.reclaimedWidth() / 2, bo.y() + 2)).isEqualTo(rgb(UsageChart.RECLAIMED));
    }

    private static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xFFFFFF;
    }

    private static int rgb(Color c) {
        return c.getRGB() & 0xFFFFFF;
    }
}
