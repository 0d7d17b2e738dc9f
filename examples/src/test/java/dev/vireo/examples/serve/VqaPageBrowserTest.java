package dev.vireo.examples.serve;

import dev.vireo.models.generate.GenerationConfig;
import dev.vireo.models.image.ImageDecoder;
import dev.vireo.models.vilt.ViltAnswerer;
import dev.vireo.models.vqa.VisualQuestionAnswerer.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The VQA page in a real browser (Debian's headless chromium through its chromedriver, as
 * {@link SearchPageBrowserTest} drives it): it picks an example, types a question and asks, and the
 * answer and scored bars shown are the answerer's own; then it uploads a picture (its preview shown)
 * and asks again, asks without a question for the error line, and saves a screenshot in target/.
 * Skipped, saying so, where chromium and chromium-driver are absent.
 */
class VqaPageBrowserTest {
    static final Path VILT = VqaServerTest.VILT;

    @TempDir
    static Path tmp;
    static ViltAnswerer vilt;
    static VqaServer server;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(SearchPageBrowserTest.CHROMIUM) && Files.isExecutable(SearchPageBrowserTest.DRIVER),
                "needs Debian's chromium and chromium-driver (.ci/run installs them)");
        Path examples = Files.createDirectories(tmp.resolve("examples"));
        for (String p : VqaServerTest.PICTURES) Files.copy(VILT.resolve(p), examples.resolve(p));
        vilt = ViltAnswerer.load(VILT);
        server = VqaServer.start(vilt, "tiny_vilt", examples, "127.0.0.1", 0);
        ChromeOptions options = new ChromeOptions().setBinary(SearchPageBrowserTest.CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(SearchPageBrowserTest.DRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (server != null) server.close();
        if (vilt != null) vilt.close();
    }

    private static String waitForStatus(String contains) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElement(By.id("status")).getText().contains(contains));
        return browser.findElement(By.id("status")).getText();
    }

    private static Answer direct(String picture, String question) {
        return vilt.answer(List.of(ImageDecoder.decode(VILT.resolve(picture))), List.of(question), VqaServer.DEFAULT_K,
                GenerationConfig.greedy(VqaServer.MAX_NEW_TOKENS)).getFirst();
    }

    private static void ask(String question) {
        WebElement q = browser.findElement(By.id("q"));
        q.clear();
        q.sendKeys(question);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private static void assertShown(Answer want) {
        assertThat(browser.findElement(By.id("answer")).getText()).isEqualTo(want.answer());
        List<WebElement> bars = browser.findElements(By.cssSelector("#top .bar"));
        assertThat(bars).hasSize(want.top().size());
        for (int i = 0; i < bars.size(); i++) {
            assertThat(bars.get(i).findElement(By.className("label")).getText()).isEqualTo(want.top().get(i).answer());
            assertThat(bars.get(i).findElement(By.className("score")).getText()).isEqualTo(String.format(Locale.ROOT, "%.3f", want.top().get(i).score()));
        }
    }

    @Test
    void anExampleAndAnUploadAreAnsweredOnThePage() throws Exception {
        browser.get("http://127.0.0.1:" + server.port() + "/");
        assertThat(browser.getTitle()).isEqualTo("Vireo visual question answering");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("figure.example")).size() == 3);

        ask("is it a cat?");
        assertThat(waitForStatus("first")).as("asking before a picture is chosen").isNotEmpty();
        assertThat(browser.findElement(By.id("status")).getAttribute("class")).isEqualTo("error");

        browser.findElements(By.cssSelector("figure.example")).get(1).click(); // tall.png
        waitForStatus("tall.png chosen");
        assertThat(browser.findElement(By.id("preview")).getAttribute("src")).endsWith("/example/tall.png");
        ask("How many dogs are there?");
        waitForStatus("answered");
        assertShown(direct("tall.png", "How many dogs are there?"));

        browser.findElement(By.id("file")).sendKeys(VILT.resolve("wide.png").toString());
        waitForStatus("wide.png chosen");
        Number width = (Number) ((JavascriptExecutor) browser).executeScript("return document.getElementById('preview').naturalWidth");
        assertThat(width.intValue()).as("the preview of the chosen file").isPositive();
        ask("What color is the sky?");
        waitForStatus("answered");
        assertShown(direct("wide.png", "What color is the sky?"));

        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path saved = Path.of("target", "vqa-page.png");
        Files.copy(shot.toPath(), saved, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(saved)).isGreaterThan(1000);
    }
}
