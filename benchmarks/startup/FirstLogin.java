import java.sql.*;
public class FirstLogin {
  public static void main(String[] a) throws Exception {
    try (Connection c = DriverManager.getConnection(a[0]); ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
      rs.next(); System.out.println("OK " + rs.getInt(1));
    }
  }
}
