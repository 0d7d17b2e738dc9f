package dev.vireo.spark;

import org.apache.spark.sql.SparkSession;

import java.util.Map;

/** The Spark session every {@code vireo spark} job runs in: {@code local[N]} by default, or the cluster {@code --master} names. */
public final class SparkSessions {
    private SparkSessions() {}

    /**
     * A session on {@code master} ({@code local[*]}, {@code local[2]}, {@code spark://host:7077}, {@code yarn}, ...), with
     * the web UI off and few shuffle partitions (the jobs shuffle little); {@code conf} adds or overrides Spark settings.
     * A session already running in this JVM (a test's, a notebook's) is reused with its settings.
     */
    public static SparkSession start(String master, String app, boolean progress, Map<String, String> conf) {
        SparkSession.Builder b = SparkSession.builder().appName(app)
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", Boolean.toString(progress))
                .config("spark.sql.shuffle.partitions", "8")
                // a partition whose task died is written again whole by the retry, never twice: no speculative copies
                .config("spark.speculation", "false");
        if (master != null) b.master(master);
        if (master != null && master.startsWith("local")) {
            // one machine: no host name lookups (a VM's name may not resolve to itself)
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        conf.forEach(b::config);
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
