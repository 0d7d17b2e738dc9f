package dev.vireo.examples.serve;

import dev.vireo.models.Clip;
import dev.vireo.search.Hit;
import dev.vireo.search.ImageIndex;
import dev.vireo.search.IndexProgress;
import dev.vireo.search.SearchOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The search page in a real browser: Debian's headless chromium driven through its chromedriver
 * (paths given, so Selenium Manager never looks for or downloads anything). It types a query, waits
 * for the grid, checks the top result against the index, uploads an image to search by example, and
 * saves a screenshot in target/. {@code .ci/run} installs chromium and chromium-driver; where they
 * are absent the test is skipped, saying so.
 */
class SearchPageBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium"), DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path MODEL = Path.of("../models/src/test/resources/hf/tiny-clip");

    @TempDir
    static Path tmp;
    static Clip clip;
    static ImageIndex index;
    static SearchServer server;
    static WebDriver browser;
    static List<Path> files;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (.ci/run installs them)");
        Path photos = tmp.resolve("photos");
        files = TestPictures.write(photos, 30, 120, 90, 9);
        clip = Clip.load(MODEL);
        index = ImageIndex.open(tmp.resolve("index"), clip, "tiny-clip");
        index.update(photos, 16, IndexProgress.NONE);
        server = SearchServer.start(index, "127.0.0.1", 0);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (server != null) server.close();
        if (index != null) index.close();
        if (clip != null) clip.close();
    }

    private static List<WebElement> waitForHits(String statusContains) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElement(By.id("status")).getText().contains(statusContains));
        return browser.findElements(By.cssSelector("figure.hit"));
    }

    @Test
    void aTypedQueryAndAnUploadedImageFillTheGrid() throws Exception {
        browser.get("http://127.0.0.1:" + server.port() + "/");
        assertThat(browser.getTitle()).isEqualTo("Vireo image search");

        browser.findElement(By.id("q")).sendKeys("a photo of a cat");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        List<WebElement> hits = waitForHits("results for");
        List<Hit> want = index.searchText("a photo of a cat", 24, SearchOptions.defaults());
        assertThat(hits).hasSize(24);
        assertThat(hits.getFirst().findElement(By.tagName("figcaption")).getAttribute("title")).isEqualTo(want.getFirst().path().toString());
        assertThat(hits.getFirst().findElement(By.tagName("a")).getAttribute("href")).endsWith("/image/" + want.getFirst().id());
        // the thumbnails really load: a decoded image has a natural width
        Number width = (Number) ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("return document.querySelector('figure.hit img').naturalWidth");
        assertThat(width.intValue()).isPositive();

        browser.findElement(By.id("file")).sendKeys(files.get(12).toString());
        hits = waitForHits("results for photo12.png");
        assertThat(hits.getFirst().findElement(By.tagName("figcaption")).getAttribute("title")).isEqualTo(files.get(12).toString());

        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path saved = Path.of("target", "search-page.png");
        Files.copy(shot.toPath(), saved, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(saved)).isGreaterThan(1000);
    }
}
