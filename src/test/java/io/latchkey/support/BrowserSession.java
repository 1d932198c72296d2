package io.latchkey.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * A real headless Chromium for tests of the hosted pages, as a JUnit 5 extension:
 * <pre>
 * &#64;RegisterExtension
 * static final BrowserSession browser = new BrowserSession();
 * </pre>
 * One browser per test class (starting one costs far more than a test), with a fresh profile in a temporary
 * directory; every test starts with no cookies, no storage and an empty console log. It uses Debian's
 * {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} only, so Selenium Manager never looks anything
 * up, and fails (never skips) when they are missing. When a test fails, a screenshot and the page source go
 * to {@code target/screenshots/}.
 */
public final class BrowserSession implements BeforeAllCallback, BeforeEachCallback, AfterTestExecutionCallback,
        AfterAllCallback {

    public static final Path CHROMIUM = Paths.get(System.getProperty("latchkey.test.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Paths.get(
            System.getProperty("latchkey.test.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    /*
     * Selenium ships DevTools bindings only for the Chromium versions of its own release and warns at every start
     * that it has none for Debian's newer one. The tests use plain WebDriver commands and raw CDP commands
     * (executeCdpCommand), which need no bindings, so the warning is noise. Strong references: JUL forgets
     * the level of loggers nobody holds.
     */
    private static final List<Logger> QUIET = List.of(
            Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder"),
            Logger.getLogger("org.openqa.selenium.chromium.ChromiumDriver"));

    static {
        QUIET.forEach(logger -> logger.setLevel(Level.SEVERE));
    }

    private final Duration timeout;
    private ChromeDriver driver;
    private Path profile;

    public BrowserSession() {
        this(Duration.ofSeconds(10));
    }

    /** With another limit for the explicit waits (they return as soon as their condition holds). */
    public BrowserSession(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        for (Path executable : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(executable)) {
                throw new IllegalStateException("Browser tests need " + executable + " (Debian's packages chromium "
                        + "and chromium-driver): apt-get install -y --no-install-recommends chromium chromium-driver");
            }
        }
        // Both paths given, so Selenium Manager has nothing to find and is never run.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        profile = Files.createTempDirectory("latchkey-chromium-");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,900");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        // A clean slate in the same browser: about 0.1 s, where a new browser takes about 1.5 s.
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        driver.executeCdpCommand("Storage.clearDataForOrigin",
                Map.of("origin", TestServerInitializer.ISSUER, "storageTypes", "all"));
        driver.get("about:blank");
        consoleLog();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty() || driver == null) {
            return;
        }
        String name = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
            Files.writeString(SCREENSHOTS.resolve(name + ".html"),
                    "<!-- " + driver.getCurrentUrl() + " -->\n" + driver.getPageSource(), StandardCharsets.UTF_8);
        }
        catch (IOException | RuntimeException ex) {
            context.getExecutionException().get().addSuppressed(ex);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (driver != null) {
                driver.quit();
            }
        }
        finally {
            driver = null;
            if (profile != null) {
                try (Stream<Path> files = Files.walk(profile)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    /** The driver itself, e.g. for Chromium's virtual authenticator ({@code driver().addVirtualAuthenticator}). */
    public ChromeDriver driver() {
        return driver;
    }

    /** Opens a path on the test server, or any absolute URL. */
    public BrowserSession open(String pathOrUrl) {
        driver.get(pathOrUrl.startsWith("http") ? pathOrUrl : TestServerInitializer.ISSUER + pathOrUrl);
        return this;
    }

    /** Types into the form field with this name, replacing what was there. */
    public BrowserSession fill(String fieldName, String value) {
        WebElement field = waitFor(By.name(fieldName));
        field.clear();
        field.sendKeys(value);
        return this;
    }

    public BrowserSession click(String id) {
        driver.findElement(By.id(id)).click();
        return this;
    }

    /**
     * Clicks a button that submits a form and waits until the browser has left the page it was on, so that what
     * follows reads the answer, not the page that was submitted (which may carry an error summary of its own).
     */
    public BrowserSession submit(String id) {
        WebElement submitted = driver.findElement(By.tagName("html"));
        driver.findElement(By.id(id)).click();
        waiting().until(ignored -> isGone(submitted));
        return this;
    }

    /**
     * Whether the element's page is gone. Besides the stale-element error, Chromium sometimes answers a question about
     * an element of a page being replaced with "Node with given id does not belong to the document": gone as well.
     */
    private static boolean isGone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        }
        catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException gone) {
            return true;
        }
        catch (org.openqa.selenium.WebDriverException other) {
            if (other.getMessage() != null && other.getMessage().contains("does not belong to the document")) {
                return true;
            }
            throw other;
        }
    }

    /** On the sign-in page that is showing (or about to): types the email and password and signs in. */
    public BrowserSession signIn(String email, String password) {
        waitFor(By.id("sign-in"));
        return fill("username", email).fill("password", password).click("sign-in");
    }

    public String currentUrl() {
        return driver.getCurrentUrl();
    }

    public String pageSource() {
        return driver.getPageSource();
    }

    public WebElement element(By by) {
        return driver.findElement(by);
    }

    public List<WebElement> elements(By by) {
        return driver.findElements(by);
    }

    /** The element that has the keyboard focus. */
    public WebElement focused() {
        return driver.switchTo().activeElement();
    }

    /** Waits until the element is on the page, and returns it. */
    public WebElement waitFor(By by) {
        return waiting().until(ExpectedConditions.presenceOfElementLocated(by));
    }

    /** Waits until the browser is at a URL that starts with this prefix (a path on the test server, or a URL). */
    public String waitForUrl(String prefix) {
        String expected = prefix.startsWith("http") ? prefix : TestServerInitializer.ISSUER + prefix;
        waiting().withMessage(() -> "browser at " + driver.getCurrentUrl() + ", expected " + expected + "...")
                .until(d -> d.getCurrentUrl().startsWith(expected));
        return driver.getCurrentUrl();
    }

    /**
     * Waits until the browser was sent to this redirect URI and returns the decoded query parameters. Nothing
     * needs to listen there: when the navigation fails, Chromium shows its error page but keeps the URL.
     */
    public Map<String, String> waitForRedirectTo(String redirectUri) {
        String url = waitForUrl(redirectUri + "?");
        return UriComponentsBuilder.fromUri(URI.create(url)).build(true).getQueryParams().toSingleValueMap()
                .entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey,
                        entry -> URLDecoder.decode(entry.getValue(), StandardCharsets.UTF_8)));
    }

    /** What the pages logged to the console since the last call (the browser hands each entry out once). */
    public List<LogEntry> consoleLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /** Console entries at error level (script errors, CSP violations, failed loads) since the last call. */
    public List<String> consoleErrors() {
        return consoleLog().stream().filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(50));
    }
}
