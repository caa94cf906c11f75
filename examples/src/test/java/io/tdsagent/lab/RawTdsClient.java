package io.tdsagent.lab;

import io.tdsagent.lab.login.Login7Parser;
import io.tdsagent.lab.prelogin.PreloginOption;
import io.tdsagent.lab.prelogin.PreloginResponse;
import io.tdsagent.lab.wire.TdsBuffer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A hand-made TDS 7.4 client for tests: plaintext PRELOGIN (ENCRYPT_NOT_SUP), a SQL-login LOGIN7,
 * then raw request messages and whole response messages. Needs a server with encryption
 * NOT_SUPPORTED.
 */
final class RawTdsClient implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final byte[] header = new byte[8];

  /** Packets of the last response read. */
  int lastPackets;

  /** Answer of the server's PRELOGIN MARS option (null: none). */
  Integer marsAnswer;

  RawTdsClient(LabServer server, String user, String password, int packetSize) throws IOException {
    this(server, user, password, packetSize, false);
  }

  /**
   * With {@code mars}, PRELOGIN asks for MARS (after login the caller speaks SMP on {@link
   * #in}/{@link #out}).
   */
  RawTdsClient(LabServer server, String user, String password, int packetSize, boolean mars)
      throws IOException {
    socket = new Socket(server.host(), server.port());
    socket.setTcpNoDelay(true);
    in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024));
    out = socket.getOutputStream();
    PreloginResponse prelogin =
        new PreloginResponse()
            .version(13, 6, 2, 0)
            .option(PreloginOption.ENCRYPTION, (byte) PreloginOption.ENCRYPT_NOT_SUP);
    if (mars) {
      prelogin.option(PreloginOption.MARS, (byte) 1);
    }
    send(0x12, prelogin.encode().toByteArray());
    byte[] answer = readMessage();
    for (int i = 0; (answer[i] & 0xFF) != 0xFF; i += 5) {
      if (answer[i] == PreloginOption.MARS) {
        marsAnswer = answer[((answer[i + 1] & 0xFF) << 8) | (answer[i + 2] & 0xFF)] & 0xFF;
      }
    }
    send(0x10, login7(user, password, packetSize));
    byte[] loginResponse = readMessage();
    if ((loginResponse[0] & 0xFF) == 0xAA) {
      throw new IOException("login failed");
    }
  }

  private static byte[] login7(String user, String password, int packetSize) {
    String[] strings = {"rawhost", user, null, "raw-test", "127.0.0.1", "", "raw", "", ""};
    byte[] pw = Login7Parser.encodePassword(password);
    TdsBuffer fixed = new TdsBuffer(128);
    TdsBuffer data = new TdsBuffer(256);
    int offset = Login7Parser.FIXED_LENGTH;
    fixed
        .int32(0)
        .int32(0x74000004)
        .int32(packetSize)
        .int32(0)
        .int32(1234)
        .int32(0)
        .byte1(0xE0)
        .byte1(0x03)
        .byte1(0)
        .byte1(0)
        .int32(0)
        .int32(0x0409);
    for (int i = 0; i < strings.length; i++) {
      if (i == 2) { // password
        fixed.uint16(offset + data.size()).uint16(password.length());
        data.bytes(pw);
      } else if (i == 5) { // extension: none
        fixed.uint16(offset + data.size()).uint16(0);
      } else {
        fixed.uint16(offset + data.size()).uint16(strings[i].length());
        data.utf16(strings[i]);
      }
    }
    fixed.bytes(new byte[6]); // ClientID
    fixed
        .uint16(0)
        .uint16(0)
        .uint16(0)
        .uint16(0)
        .uint16(0)
        .uint16(0)
        .int32(0); // SSPI, AtchDBFile, ChangePassword
    byte[] all = new byte[fixed.size() + data.size()];
    System.arraycopy(fixed.array(), 0, all, 0, fixed.size());
    System.arraycopy(data.array(), 0, all, fixed.size(), data.size());
    all[0] = (byte) all.length;
    all[1] = (byte) (all.length >>> 8);
    return all;
  }

  /** Sends one message as one packet. */
  void send(int type, byte[] payload) throws IOException {
    byte[] p = new byte[8 + payload.length];
    p[0] = (byte) type;
    p[1] = 1;
    p[2] = (byte) (p.length >>> 8);
    p[3] = (byte) p.length;
    p[6] = 1;
    System.arraycopy(payload, 0, p, 8, payload.length);
    out.write(p);
    out.flush();
  }

  /** Reads one whole response message. */
  byte[] readMessage() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    lastPackets = 0;
    while (true) {
      in.readFully(header);
      int len = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
      byte[] b = new byte[len - 8];
      in.readFully(b);
      body.write(b);
      lastPackets++;
      if ((header[1] & 1) != 0) {
        return body.toByteArray();
      }
    }
  }

  /** Reads one response message and throws it away; returns its size in bytes. */
  long drainMessage() throws IOException {
    long total = 0;
    byte[] b = new byte[32 * 1024];
    lastPackets = 0;
    while (true) {
      in.readFully(header);
      int len = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
      in.readFully(b, 0, len - 8);
      total += len;
      lastPackets++;
      if ((header[1] & 1) != 0) {
        return total;
      }
    }
  }

  /** A SQLBatch with the ALL_HEADERS of TDS 7.2+ (transaction descriptor). */
  static byte[] sqlBatch(String sql) {
    TdsBuffer b = new TdsBuffer();
    allHeaders(b);
    return b.utf16(sql).toByteArray();
  }

  static void allHeaders(TdsBuffer b) {
    b.int32(22).int32(18).uint16(2).int64(0).int32(1);
  }

  static String utf16(byte[] b, int off, int chars) {
    return new String(b, off, 2 * chars, StandardCharsets.UTF_16LE);
  }

  DataInputStream in() {
    return in;
  }

  OutputStream out() {
    return out;
  }

  Socket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
