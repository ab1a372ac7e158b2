import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;

/**
 * The campaign acceptance check on a built retail project (DuckDB file): prints every audience's size and share
 * and the win-back members' recent and earlier spend, and exits 1 when an audience is empty or the win-back
 * members' recent 90-day spend is not on average below half of their earlier 90-day average.
 * Usage: java -cp engine/target/engine-cli.jar bench/CampaignCheck.java project/target/retail.duckdb
 */
public class CampaignCheck {
    public static void main(String[] args) throws Exception {
        Class.forName("org.duckdb.DuckDBDriver");
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        boolean ok = true;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0], readOnly); Statement s = c.createStatement()) {
            System.out.println("| campaign | members | customers | share |");
            System.out.println("|---|---|---|---|");
            try (ResultSet rs = s.executeQuery("select campaign, members, customers, audience_share "
                    + "from main_activation.campaign_audience_sizes order by campaign")) {
                while (rs.next()) {
                    System.out.printf("| %s | %,d | %,d | %.2f%% |%n", rs.getString(1), rs.getLong(2), rs.getLong(3),
                            100 * rs.getDouble(4));
                    ok &= rs.getLong(2) > 0;
                }
            }
            try (ResultSet rs = s.executeQuery("select count(*), avg(w.spend_90d), avg(w.spend_90d_earlier_avg), "
                    + "count(*) filter (where w.spend_90d < 0.5 * w.spend_90d_earlier_avg), count(*) filter (where w.churn_probability >= 0.5), count(*) filter (where c.churn_predicted = 1) "
                    + "from main_activation.winback_at_risk_high_value w join main_gold.customer_scores c using (customer_id)")) {
                rs.next();
                double recent = rs.getDouble(2), earlier = rs.getDouble(3);
                System.out.printf("win-back: %,d members, average spend last 90 days %.2f vs earlier 90-day average %.2f "
                        + "(ratio %.3f); %,d halved their spend, %,d have a churn probability of at least 0.5, %,d are predicted "
                        + "to churn at the model's own threshold%n",
                        rs.getLong(1), recent, earlier, recent / earlier, rs.getLong(4), rs.getLong(5), rs.getLong(6));
                ok &= recent < 0.5 * earlier;
            }
        }
        System.out.println(ok ? "OK" : "FAILED");
        System.exit(ok ? 0 : 1);
    }
}
