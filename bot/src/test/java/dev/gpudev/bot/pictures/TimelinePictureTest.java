package dev.gpudev.bot.pictures;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/** The timeline PNG decodes, has the size its rows make, and shows each bar in its colour where the layout puts it. */
class TimelinePictureTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private final Timeline.Bar mine = new Timeline.Bar(NOW.minus(Duration.ofHours(2)), NOW.plus(Duration.ofHours(2)), 4, "h100-0001 @U0ANA", Timeline.Kind.MINE);
    private final Timeline.Bar others = new Timeline.Bar(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofHours(3)), 4, "h100-0002 @U0BO", Timeline.Kind.OTHERS);
    private final Timeline.Bar queued = new Timeline.Bar(NOW.plus(Duration.ofHours(3)), NOW.plus(Duration.ofHours(5)), 1, "queue #1 8×h100 @U0CY", Timeline.Kind.QUEUED);
    private final Timeline timeline = new Timeline("GPU timeline, h100", NOW.minus(Duration.ofHours(6)), NOW.plus(Duration.ofHours(12)), NOW,
            List.of(new Timeline.Row("h100-1", 8, List.of(mine, others)), new Timeline.Row("h100-2", 8, List.of())), List.of(queued));

    @Test
    void thePngDecodesWithTheSizeOfItsRows() throws Exception {
        BufferedImage image = decode(TimelinePicture.png(timeline));

        assertThat(GraphicsEnvironment.isHeadless()).isTrue();
        assertThat(image.getWidth()).isEqualTo(1200);
        // title band, two 8-GPU nodes of 7 px lanes with a 10 px gap, one queue row of 20 px, the axis and legend
        assertThat(image.getHeight()).isEqualTo(44 + 2 * (8 * 7 + 10) + 20 + 56);
    }

    @Test
    void eachBarShowsItsColourAtItsPlace() throws Exception {
        BufferedImage image = decode(TimelinePicture.png(timeline));
        var layout = TimelinePicture.layout(timeline);

        for (var placed : layout.bars()) {
            // a pixel inside the bar, clear of its label (bottom left corner)
            int x = placed.x() + 2;
            int y = placed.y() + placed.height() - 2;
            assertThat(image.getRGB(x, y) & 0xFFFFFF).as(placed.bar().label())
                    .isEqualTo(TimelinePicture.COLOURS.get(placed.bar().kind()).getRGB() & 0xFFFFFF);
        }
        // the viewer's bar starts 2 h before now: 4 h into the 18 h window
        var own = layout.bars().stream().filter(p -> p.bar() == mine).findFirst().orElseThrow();
        assertThat(own.x()).isEqualTo(170 + Math.round(4 / 18.0 * (1200 - 170 - 20)));
        assertThat(image.getRGB(own.x() - 3, own.y() + own.height() - 2) & 0xFFFFFF).isNotEqualTo(TimelinePicture.COLOURS.get(Timeline.Kind.MINE).getRGB() & 0xFFFFFF);
    }

    @Test
    void barsAtTheSameTimeOnOneNodeTakeDifferentLanes() {
        var layout = TimelinePicture.layout(timeline);
        var a = layout.bars().stream().filter(p -> p.bar() == mine).findFirst().orElseThrow();
        var b = layout.bars().stream().filter(p -> p.bar() == others).findFirst().orElseThrow();

        assertThat(new Rectangle(a.x(), a.y(), a.width(), a.height()).intersects(new Rectangle(b.x(), b.y(), b.width(), b.height()))).isFalse();
        assertThat(b.y()).isEqualTo(a.y() + 4 * 7);
    }

    static BufferedImage decode(byte[] png) throws Exception {
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).isNotNull();
        return image;
    }
}
