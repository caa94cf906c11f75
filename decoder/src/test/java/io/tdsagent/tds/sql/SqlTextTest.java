package io.tdsagent.tds.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SqlTextTest {
  @Test
  void literalsBecomeQuestionMarks() {
    assertEquals(
        "SELECT * FROM users WHERE name = ? AND id = ? AND blob = ?",
        SqlText.sanitize(
            "SELECT * FROM users WHERE name = 'O''Brien' AND id = 42 AND blob = 0xDEADBEEF"));
    assertEquals(
        "INSERT INTO t (a, b) VALUES (?, ?)",
        SqlText.sanitize("INSERT INTO t (a, b) VALUES (N'x', -1.5e3)").replace("-?", "?"));
    assertEquals(
        "SELECT [col 1], \"q\" FROM dbo.t2 WHERE x = @p1",
        SqlText.sanitize("SELECT [col 1], \"q\" FROM dbo.t2 WHERE x = @p1"));
    assertEquals("SELECT ? FROM t", SqlText.sanitize("SELECT 1 -- secret 'comment'\nFROM t"));
    assertEquals("SELECT ?", SqlText.sanitize("SELECT /* 'x' */ 'unterminated"));
    assertEquals("SELECT col2 FROM t", SqlText.sanitize("SELECT   col2\r\n\tFROM t"));
  }

  @Test
  void summaries() {
    assertEquals("SELECT users", SqlText.summary("select id from users where id = 1"));
    assertEquals("SELECT", SqlText.summary("SELECT 1"));
    assertEquals("INSERT orders", SqlText.summary("INSERT INTO orders VALUES (1)"));
    assertEquals("UPDATE dbo.accounts", SqlText.summary("UPDATE dbo.accounts SET x = 1"));
    assertEquals("DELETE t", SqlText.summary("DELETE FROM t WHERE 1 = 1"));
    assertEquals("EXECUTE dbo.add_numbers", SqlText.summary("EXEC dbo.add_numbers @a = 1"));
    assertEquals(
        "SELECT big_rows", SqlText.summary("WITH x AS (SELECT 1 AS a) SELECT * FROM big_rows"));
    assertEquals("CREATE TABLE t", SqlText.summary("create table t (a int)"));
    assertEquals("WAITFOR", SqlText.summary("WAITFOR DELAY '00:00:05'"));
    assertNull(SqlText.summary("   "));
    assertEquals("SELECT", SqlText.operation("SELECT users"));
    assertEquals("users", SqlText.collection("SELECT users"));
    assertNull(SqlText.collection("EXECUTE dbo.p"));
    assertEquals("CREATE TABLE", SqlText.operation("CREATE TABLE t"));
  }
}
