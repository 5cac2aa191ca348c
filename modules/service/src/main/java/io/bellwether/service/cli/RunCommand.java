package io.bellwether.service.cli;

import io.bellwether.detect.rules.Rules;
import io.bellwether.service.BellwetherService;
import io.bellwether.service.ServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bellwether run}: the service, until Ctrl-C or SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the service: on the embedded broker and registry unless --bootstrap-servers and --registry-url are given.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        ServiceConfig config = options.load(Map.of());
        config.settings().warnings().forEach(w -> System.err.println("warning: " + w));
        Rules rules = RulesLoader.load(config);
        BellwetherService service = BellwetherService.start(config, rules, config.detectConfig());
        Shutdown shutdown = new Shutdown(service::close);
        if (!service.awaitRunning(Duration.ofMinutes(2))) {
            System.err.println("warning: the detection topology is not RUNNING yet after 2 minutes; still waiting");
        }
        System.out.printf("Bellwether is running. Kafka: %s  Registry: %s  Topics: %s...%nPress Ctrl-C to stop.%n",
                service.platform().bootstrapServers(), service.platform().registryUrl(), config.topics().ticketEvents());
        if (service.runtime().query() != null) {
            System.out.printf("Dashboard and API: http://%s:%d/%n", config.settings().get("http.host"), service.runtime().query().port());
        }
        if (service.runtime().receiver() != null) {
            System.out.printf("Webhooks: http://%s:%s/webhooks/<source>%n", config.settings().get("ingest.host"), config.settings().get("ingest.port"));
        }
        shutdown.await();
        return 0;
    }
}
