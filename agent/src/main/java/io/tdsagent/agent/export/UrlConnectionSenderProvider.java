package io.tdsagent.agent.export;

import io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;

/**
 * The only HTTP sender the agent's OTLP exporters find: plain {@code http://} endpoints without a
 * proxy (the default {@code http://localhost:4318}, a Collector beside the application) go through
 * {@link UrlConnectionSender}; TLS, client certificates, proxies and a caller's executor go through
 * the OpenTelemetry JDK sender as before.
 */
public final class UrlConnectionSenderProvider implements HttpSenderProvider {
  @Override
  public HttpSender createSender(HttpSenderConfig config) {
    if ("http".equalsIgnoreCase(config.getEndpoint().getScheme())
        && config.getProxyOptions() == null
        && config.getSslContext() == null
        && config.getExecutorService() == null) {
      return new UrlConnectionSender(config);
    }
    return new JdkHttpSenderProvider().createSender(config);
  }
}
