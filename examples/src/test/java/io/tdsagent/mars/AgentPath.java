package io.tdsagent.mars;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A capture's TDS connection through the agent's own path: the decoder's capture reader and TCP
 * reassembly give the client and server byte streams, which go, in capture order, into {@code
 * ConnectionDecoder} with a {@code ConnectionTracer} as listener, exactly as {@code ChannelTap}
 * feeds them from inside a driver. The classes come from the packaged agent jar in a class loader
 * of their own (the test JVM's class path must not carry the agent: the end-to-end tests hand it to
 * their applications), so everything is reached by reflection.
 */
final class AgentPath {

  /** A span plan as plain data. */
  static final class Plan {
    final String name;
    final Map<String, Object> attributes;
    final List<Plan> children = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final List<Map<String, Object>> eventAttributes = new ArrayList<>();

    Plan(String name, Map<String, Object> attributes) {
      this.name = name;
      this.attributes = attributes;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      append(sb, "");
      return sb.toString();
    }

    private void append(StringBuilder sb, String indent) {
      sb.append(indent).append(name).append(' ').append(attributes);
      if (!events.isEmpty()) {
        sb.append(" events=").append(events).append(eventAttributes);
      }
      sb.append('\n');
      for (Plan c : children) {
        c.append(sb, indent + "  ");
      }
    }
  }

  /** What the agent made of the capture. */
  static final class Result {
    final List<Plan> plans = new ArrayList<>();
    final List<String> decodeErrors = new ArrayList<>();
    int connections;
    boolean mars;
  }

  private AgentPath() {}

  static Result replay(Path agentJar, Path capture) throws Exception {
    if (!Files.isRegularFile(agentJar)) {
      throw new IllegalStateException(
          "no agent jar at " + agentJar.toAbsolutePath() + ": build with mvn package first");
    }
    try (URLClassLoader cl =
        new URLClassLoader(
            new URL[] {agentJar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      return new Run(cl).run(capture);
    }
  }

  private static final class Run {
    final ClassLoader cl;
    final Result result = new Result();
    final Class<?> listenerType;
    final Class<?> decoderType;
    final Method fromConnect;
    final Method tracerOnEvent;
    final Method tracerClosed;
    final Method onClient;
    final Method onServer;
    final Method onClose;
    final Method isMars;
    final Map<Integer, Object[]> conns = new LinkedHashMap<>();

    Run(ClassLoader cl) throws Exception {
      this.cl = cl;
      Class<?> tracerType = cl.loadClass("io.tdsagent.trace.ConnectionTracer");
      listenerType = cl.loadClass("io.tdsagent.tds.event.TdsEventListener");
      decoderType = cl.loadClass("io.tdsagent.tds.conversation.ConnectionDecoder");
      fromConnect =
          tracerType.getMethod(
              "fromConnect",
              String.class,
              int.class,
              long.class,
              boolean.class,
              Consumer.class,
              Supplier.class);
      tracerOnEvent =
          tracerType.getMethod("onEvent", cl.loadClass("io.tdsagent.tds.event.TdsEvent"));
      tracerClosed = tracerType.getMethod("closed", long.class);
      onClient =
          decoderType.getMethod("onClientBytes", byte[].class, int.class, int.class, long.class);
      onServer =
          decoderType.getMethod("onServerBytes", byte[].class, int.class, int.class, long.class);
      onClose = decoderType.getMethod("onClose", long.class);
      isMars = decoderType.getMethod("isMars");
    }

    Result run(Path capture) throws Exception {
      Class<?> readerType = cl.loadClass("io.tdsagent.capture.CaptureReader");
      Class<?> frameType = cl.loadClass("io.tdsagent.capture.CapturedFrame");
      Class<?> dissector = cl.loadClass("io.tdsagent.capture.FrameDissector");
      Class<?> streamListener = cl.loadClass("io.tdsagent.capture.TcpStreamListener");
      Class<?> reassemblerType = cl.loadClass("io.tdsagent.capture.TcpReassembler");
      Class<?> segmentType = cl.loadClass("io.tdsagent.capture.TcpSegment");
      Object listener = Proxy.newProxyInstance(cl, new Class<?>[] {streamListener}, this::onStream);
      Object tcp = reassemblerType.getConstructor(streamListener).newInstance(listener);
      Method accept = reassemblerType.getMethod("accept", segmentType);
      Method tcpOf = dissector.getMethod("tcp", frameType);
      try (AutoCloseable reader =
          (AutoCloseable) readerType.getMethod("open", Path.class).invoke(null, capture)) {
        Method next = readerType.getMethod("next");
        Object frame;
        while ((frame = next.invoke(reader)) != null) {
          Object segment = tcpOf.invoke(null, frame);
          if (segment != null) {
            accept.invoke(tcp, segment);
          }
        }
      }
      reassemblerType.getMethod("finish").invoke(tcp);
      return result;
    }

    /** TcpStreamListener: data to the connection's decoder, close to decoder and tracer. */
    private Object onStream(Object proxy, Method m, Object[] args) throws Throwable {
      switch (m.getName()) {
        case "onData":
          {
            Object[] c = connection(args[0]);
            boolean client = "CLIENT_TO_SERVER".equals(String.valueOf(args[1]));
            invoke(client ? onClient : onServer, c[1], args[2], args[3], args[4], args[5]);
            return null;
          }
        case "onClose":
          {
            Object[] c = connection(args[0]);
            long t = (Long) args[1];
            result.mars |= (Boolean) invoke(isMars, c[1]);
            invoke(onClose, c[1], t);
            invoke(tracerClosed, c[0], t);
            return null;
          }
        case "onGap":
          result.decodeErrors.add("TCP gap in the capture: " + args[2] + " bytes missing");
          return null;
        case "hashCode":
          return System.identityHashCode(proxy);
        case "equals":
          return proxy == args[0];
        case "toString":
          return "AgentPath listener";
        default:
          return null; // handshake, FIN, reset, retransmission: nothing for the agent
      }
    }

    private Object[] connection(Object tcpConnection) throws Exception {
      int id = (Integer) tcpConnection.getClass().getMethod("id").invoke(tcpConnection);
      Object[] c = conns.get(id);
      if (c == null) {
        String server = (String) tcpConnection.getClass().getMethod("server").invoke(tcpConnection);
        int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
        Consumer<Object> sink = plan -> result.plans.add(toPlan(plan));
        Supplier<Object> noParent = () -> null;
        Object tracer = fromConnect.invoke(null, "127.0.0.1", port, 0L, false, sink, noParent);
        InvocationHandler events =
            (p, m, a) -> {
              if (m.getName().equals("onEvent")) {
                noteDecodeError(a[0]);
                invoke(tracerOnEvent, tracer, a[0]);
              }
              return m.getName().equals("hashCode")
                  ? System.identityHashCode(p)
                  : m.getName().equals("equals") ? p == a[0] : null;
            };
        Object listener = Proxy.newProxyInstance(cl, new Class<?>[] {listenerType}, events);
        Object decoder = decoderType.getConstructor(listenerType).newInstance(listener);
        c = new Object[] {tracer, decoder};
        conns.put(id, c);
        result.connections++;
      }
      return c;
    }

    private void noteDecodeError(Object event) throws Exception {
      Object e = event;
      if (e.getClass().getSimpleName().equals("SmpTdsEvent")) {
        e = e.getClass().getMethod("event").invoke(e);
      }
      if (e.getClass().getSimpleName().equals("DecodeErrorEvent")) {
        result.decodeErrors.add(String.valueOf(e));
      }
    }

    @SuppressWarnings("unchecked")
    private Plan toPlan(Object spanPlan) {
      try {
        Object p = spanPlan.getClass().getMethod("resolve").invoke(spanPlan);
        Class<?> t = p.getClass();
        Plan plan =
            new Plan(
                (String) t.getMethod("name").invoke(p),
                new LinkedHashMap<>((Map<String, Object>) t.getMethod("attributes").invoke(p)));
        for (Object e : (List<Object>) t.getMethod("events").invoke(p)) {
          plan.events.add((String) e.getClass().getMethod("name").invoke(e));
          plan.eventAttributes.add(
              (Map<String, Object>) e.getClass().getMethod("attributes").invoke(e));
        }
        for (Object c : (List<Object>) t.getMethod("children").invoke(p)) {
          plan.children.add(toPlan(c));
        }
        return plan;
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read a span plan", e);
      }
    }

    private static Object invoke(Method m, Object target, Object... args) throws Exception {
      try {
        return m.invoke(target, args);
      } catch (InvocationTargetException e) {
        Throwable c = e.getCause();
        throw c instanceof Exception ? (Exception) c : new RuntimeException(c);
      }
    }
  }
}
