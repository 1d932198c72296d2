package io.latchkey.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Full-page screenshots of the page a browser test has open, for people to review, at a desktop and a phone width:
 * {@code target/screenshots/<name>-1280.png} and {@code <name>-390.png}. The page is laid out again at each width
 * (as a phone would, with {@code mobile} set below 600 px) and then the browser's own size comes back.
 */
public final class PageScreenshots {

    public static final List<Integer> WIDTHS = List.of(1280, 390);
    private static final Path FOLDER = Paths.get("target", "screenshots");
    private static final int VIEWPORT_HEIGHT = 900;

    private PageScreenshots() {
    }

    /** Writes the screenshots at {@link #WIDTHS} and returns their files; {@code name} becomes part of the names. */
    public static List<Path> capture(ChromeDriver driver, String name) {
        return capture(driver, name, width -> {
        });
    }

    /**
     * As {@link #capture(ChromeDriver, String)}, and after each screenshot runs {@code atWidth} while the page is
     * still laid out at that width (to check the page as a phone shows it, say).
     */
    public static List<Path> capture(ChromeDriver driver, String name, IntConsumer atWidth) {
        return capture(driver, name, WIDTHS, atWidth);
    }

    /** As {@link #capture(ChromeDriver, String, IntConsumer)}, at the given widths only. */
    public static List<Path> capture(ChromeDriver driver, String name, List<Integer> widths, IntConsumer atWidth) {
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(FOLDER);
            for (int width : widths) {
                driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width,
                        "height", VIEWPORT_HEIGHT, "deviceScaleFactor", 1, "mobile", width < 600));
                Number height = (Number) driver.executeScript(
                        "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)");
                Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                        "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", width,
                                "height", Math.max(height.intValue(), VIEWPORT_HEIGHT), "scale", 1)));
                Path file = FOLDER.resolve(name + "-" + width + ".png");
                Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
                files.add(file);
                atWidth.accept(width);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
        return files;
    }
}
