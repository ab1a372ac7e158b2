import java.sql.*; import java.util.*;
/** Two DuckDB files compared where bench/TableHashes.java cannot (a column's type changed, e.g. VARCHAR to ENUM): every
 *  column's type side by side for all tables, and for the named tables the rows by value (every column cast to
 *  varchar), except all both ways, and the row counts. Usage: java -cp engine/target/engine-cli.jar
 *  bench/TableValues.java a.duckdb b.duckdb schema.table ... */
public class TableValues { public static void main(String[] a) throws Exception { Class.forName("org.duckdb.DuckDBDriver");
 try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
  s.execute("attach '" + a[0] + "' as fa"); s.execute("attach '" + a[1] + "' as fb");
  Map<String,String> ta = types(s, "fa"), tb = types(s, "fb");
  for (var e : ta.entrySet()) if (!Objects.equals(e.getValue(), tb.get(e.getKey()))) System.out.println("type differs: " + e.getKey() + " A " + e.getValue() + " B " + tb.get(e.getKey()));
  for (var k : tb.keySet()) if (!ta.containsKey(k)) System.out.println("only in B: " + k);
  for (int i = 2; i < a.length; i++) { String t = a[i]; List<String> cols = new ArrayList<>();
   try (ResultSet r = s.executeQuery("select column_name from information_schema.columns where table_catalog='fa' and table_schema||'.'||table_name='" + t + "' order by ordinal_position")) { while (r.next()) cols.add("cast(\"" + r.getString(1) + "\" as varchar)"); }
   String sel = String.join(", ", cols);
   for (String[] d : new String[][]{{"fa","fb"},{"fb","fa"}}) try (ResultSet r = s.executeQuery("select count(*) from (select " + sel + " from " + d[0] + "." + t + " except all select " + sel + " from " + d[1] + "." + t + ")")) { r.next(); System.out.println(t + " rows in " + d[0] + " not in " + d[1] + ": " + r.getLong(1)); }
   try (ResultSet r = s.executeQuery("select (select count(*) from fa." + t + "), (select count(*) from fb." + t + ")")) { r.next(); System.out.println(t + " rows " + r.getLong(1) + " / " + r.getLong(2)); } } } }
 static Map<String,String> types(Statement s, String cat) throws SQLException { Map<String,String> m = new TreeMap<>();
  try (ResultSet r = s.executeQuery("select table_schema||'.'||table_name||'.'||column_name, data_type from information_schema.columns where table_catalog='" + cat + "'")) { while (r.next()) m.put(r.getString(1), r.getString(2)); } return m; } }
