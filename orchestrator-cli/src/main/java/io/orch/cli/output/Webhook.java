package io.orch.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orch.cli.config.WebhookAddress;
import io.orch.cli.run.RunReport;
import io.orch.protocol.Limits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code --notify}: a run's summary posted as JSON when it ends. The {@code text} field is what Slack,
 * Mattermost and Rocket.Chat incoming webhooks show; {@code orch} carries the figures for anything else
 * (a ticket system, a script behind a small HTTP endpoint). One post, no retry, at most
 * {@link Limits#NOTIFY_TIMEOUT_MS}: a chat server that is down must not hold up a change window, and the
 * run's exit code never depends on it. The address is never printed whole (its path is the secret).
 */
public final class Webhook {
    /** What the JSON body says it is; fields are only ever added. */
    public static final String PROTOCOL = "orch.notify.v1";

    private final URI address;
    private final String version;

    /**
     * @param address where to post
     * @param version orch's version, sent as the User-Agent
     */
    public Webhook(URI address, String version) {
        this.address = address;
        this.version = version;
    }

    /**
     * The body for a run that ended with a report.
     *
     * @param who      e.g. {@code orch reboot on jump1 by alice}
     * @param exitCode the code the CLI exits with
     */
    public static ObjectNode body(String who, RunReport report, int exitCode) {
        ObjectNode orch = JsonRenderer.MAPPER.createObjectNode();
        orch.put("protocol", PROTOCOL);
        orch.put("action", report.action());
        orch.put("noop", report.noop());
        orch.put("exit_code", exitCode);
        orch.set("summary", JsonRenderer.MAPPER.valueToTree(report.counts()));
        orch.put("summary_line", cut(report.summaryLine()));
        if (report.stopReason() == null) {
            orch.putNull("stop_reason");
        } else {
            orch.put("stop_reason", report.stopReason());
        }
        orch.set("request_ids", JsonRenderer.MAPPER.valueToTree(report.requestIds()));
        orch.set("timings_ms", JsonRenderer.MAPPER.valueToTree(report.timingsMs()));
        return wrap(cut(who + (report.noop() ? " (noop)" : "") + ": " + report.summaryLine() + " (exit " + exitCode
                + ")"), orch);
    }

    /** The body for a run that ended without a report: the broker could not be reached. */
    public static ObjectNode failure(String who, String action, String why, int exitCode) {
        ObjectNode orch = JsonRenderer.MAPPER.createObjectNode();
        orch.put("protocol", PROTOCOL);
        orch.put("action", action);
        orch.put("exit_code", exitCode);
        orch.put("error", cut(why));
        return wrap(cut(who + ": " + why + " (exit " + exitCode + ")"), orch);
    }

    private static ObjectNode wrap(String text, ObjectNode orch) {
        ObjectNode body = JsonRenderer.MAPPER.createObjectNode();
        body.put("text", text);
        body.set("orch", orch);
        return body;
    }

    /** At most {@link Limits#MAX_NOTIFY_TEXT_CHARS}, saying how much was left out. */
    static String cut(String text) {
        if (text.length() <= Limits.MAX_NOTIFY_TEXT_CHARS) {
            return text;
        }
        String more = " ... (" + (text.length() - Limits.MAX_NOTIFY_TEXT_CHARS) + " more characters in the report)";
        return text.substring(0, Limits.MAX_NOTIFY_TEXT_CHARS - more.length()) + more;
    }

    /** @return null when the webhook took it (2xx), else why not, for a warning */
    public String post(ObjectNode body) {
        String shown = WebhookAddress.redacted(address.toString());
        String json;
        try {
            json = JsonRenderer.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return "--notify: cannot write the summary: " + e.getOriginalMessage();
        }
        Duration timeout = Duration.ofMillis(Limits.NOTIFY_TIMEOUT_MS);
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest request = HttpRequest.newBuilder(address).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "orch/" + version)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        CompletableFuture<HttpResponse<Void>> sent = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            int status = sent.get(Limits.NOTIFY_TIMEOUT_MS, TimeUnit.MILLISECONDS).statusCode();
            return status / 100 == 2 ? null : "--notify: " + shown + " answered HTTP " + status
                    + "; the summary was not taken";
        } catch (TimeoutException e) {
            sent.cancel(true);
            return "--notify: " + shown + " did not answer within " + Limits.NOTIFY_TIMEOUT_MS / 1000 + "s";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return "--notify: could not post to " + shown + ": " + (cause.getMessage() == null
                    ? cause.getClass().getSimpleName() : cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sent.cancel(true);
            return "--notify: interrupted before " + shown + " answered";
        }
    }
}
