package io.tdsagent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.prelogin.PreloginOption;
import io.tdsagent.lab.prelogin.PreloginRequest;
import io.tdsagent.lab.prelogin.PreloginResponse;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** Talks to the server with hand-made bytes, to pin wire details the driver does not expose. */
class RawWireTest {

  private static byte[] packet(int type, byte[] payload) {
    byte[] p = new byte[8 + payload.length];
    p[0] = (byte) type;
    p[1] = 1;
    p[2] = (byte) (p.length >>> 8);
    p[3] = (byte) p.length;
    p[6] = 1;
    System.arraycopy(payload, 0, p, 8, payload.length);
    return p;
  }

  private static byte[] readPacket(DataInputStream in, int[] headerOut) throws Exception {
    byte[] h = new byte[8];
    in.readFully(h);
    headerOut[0] = h[0] & 0xFF;
    headerOut[1] = h[1] & 0xFF;
    int len = ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
    byte[] body = new byte[len - 8];
    in.readFully(body);
    return body;
  }

  private static byte[] prelogin(int encryption) {
    return new PreloginResponse()
        .version(13, 6, 2, 0)
        .option(PreloginOption.ENCRYPTION, (byte) encryption)
        .option(PreloginOption.INSTOPT, (byte) 0)
        .option(PreloginOption.FEDAUTHREQUIRED, (byte) 1)
        .encode()
        .toByteArray();
  }

  @Test
  void strictNegotiatesAlpnTds8ThenPreloginInsideTls() throws Exception {
    try (LabServer server = LabServer.builder().login("sa", "x").build().start()) {
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      ts.setCertificateEntry("lab", server.certificate());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ts);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      try (SSLSocket s =
          (SSLSocket) ctx.getSocketFactory().createSocket(server.host(), server.port())) {
        SSLParameters params = s.getSSLParameters();
        params.setApplicationProtocols(new String[] {"tds/8.0"});
        params.setEndpointIdentificationAlgorithm("HTTPS"); // SAN localhost / 127.0.0.1
        s.setSSLParameters(params);
        s.startHandshake();
        assertEquals("tds/8.0", s.getApplicationProtocol());
        assertEquals("TLSv1.3", s.getSession().getProtocol());
        OutputStream out = s.getOutputStream();
        out.write(packet(0x12, prelogin(PreloginOption.ENCRYPT_NOT_SUP)));
        out.flush();
        int[] header = new int[2];
        byte[] body = readPacket(new DataInputStream(s.getInputStream()), header);
        assertEquals(0x04, header[0], "PRELOGIN answer is a tabular result message");
        assertEquals(1, header[1] & 1, "EOM");
        PreloginRequest answer = PreloginRequest.parse(body);
        assertEquals(PreloginOption.ENCRYPT_NOT_SUP, answer.encryption());
        assertEquals("16.0.1000.0", answer.clientVersion());
        assertEquals(1, answer.options().get(PreloginOption.FEDAUTHREQUIRED).length);
        assertEquals(0, answer.options().get(PreloginOption.FEDAUTHREQUIRED)[0]);
        assertEquals(0, answer.options().get(PreloginOption.THREADID).length);
        assertEquals(0, answer.options().get(PreloginOption.MARS)[0]);
      }
    }
  }

  @Test
  void forcedEncryptionRefusesANoEncryptionClient() throws Exception {
    try (LabServer server =
            LabServer.builder().encryption(Encryption.ON).login("sa", "x").build().start();
        Socket s = new Socket(server.host(), server.port())) {
      s.getOutputStream().write(packet(0x12, prelogin(PreloginOption.ENCRYPT_NOT_SUP)));
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] body = readPacket(in, new int[2]);
      assertEquals(PreloginOption.ENCRYPT_REQ, PreloginRequest.parse(body).encryption());
      assertEquals(-1, in.read(), "server closes after answering ENCRYPT_REQ to ENCRYPT_NOT_SUP");
    }
  }

  @Test
  void garbageIsDropped() throws Exception {
    try (LabServer server = LabServer.builder().build().start();
        Socket s = new Socket(server.host(), server.port())) {
      s.getOutputStream()
          .write("GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertEquals(-1, s.getInputStream().read());
      assertTrue(server.connectionsAccepted() >= 1);
    }
  }
}
