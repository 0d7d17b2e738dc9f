package dev.vireo.engine.tornadovm;

import dev.vireo.engine.tensor.ComputeProvider;
import dev.vireo.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backend's jar on the class path of a JVM started without TornadoVM's flags (no SDK, or the
 * argfile left out): the CPU provider still loads, and asking for {@code tornado} is one line saying
 * why it cannot run, never a crash. Runs a fresh JVM on this test's class path minus the argfile.
 */
class WithoutRuntimeTest {

    @Test
    void theCpuStillRunsAndTornadoSaysWhyNotInOneLine() throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("tornado-api")) classPath.add(entry); // as an application's class path has it: no TornadoVM jars
        }
        Process p = new ProcessBuilder(javaBin, "--add-modules", "jdk.incubator.vector", "-cp", String.join(File.pathSeparator, classPath),
                Probe.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("statuses {cpu=null, tornado=TornadoVM is not loaded: start the JVM with @$TORNADOVM_HOME/tornado-argfile");
        assertThat(out).contains("named: backend tornado: TornadoVM is not loaded");
        assertThat(out).contains("cpu sum 6.0");
    }

    /** The child: lists the providers, asks for tornado, and adds on the CPU. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println("statuses " + ComputeProvider.statuses());
            try {
                ComputeProvider.named("tornado");
            } catch (IllegalStateException e) {
                System.out.println("named: " + e.getMessage());
            }
            System.out.println("cpu sum " + Tensor.of(new float[] {1, 2, 3}, 3).sum().item());
        }
    }
}
