package io.tdsagent.testutil;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * The JDK's own NTLM client ({@code com.sun.security.ntlm.Client}), reached by reflection because
 * the test sources compile with {@code --release 11}, which forbids --add-exports; surefire's
 * argLine exports it.
 */
public final class JdkNtlmClient {
  private final Object client;

  /**
   * @param version "NTLM" (v1), "NTLM2", "LMv2/NTLMv2"...
   */
  public JdkNtlmClient(String version, String host, String user, String domain, String password)
      throws Exception {
    Constructor<?> c =
        Class.forName("com.sun.security.ntlm.Client")
            .getConstructor(String.class, String.class, String.class, String.class, char[].class);
    client = c.newInstance(version, host, user, domain, password.toCharArray());
  }

  public byte[] type1() throws Exception {
    return (byte[]) call("type1", new Class<?>[0]);
  }

  public byte[] type3(byte[] type2, byte[] nonce) throws Exception {
    return (byte[]) call("type3", new Class<?>[] {byte[].class, byte[].class}, type2, nonce);
  }

  private Object call(String name, Class<?>[] types, Object... args) throws Exception {
    try {
      return client.getClass().getMethod(name, types).invoke(client, args);
    } catch (InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }
}
