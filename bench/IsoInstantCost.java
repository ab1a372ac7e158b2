import dev.sluice.exec.IsoInstant;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;

/**
 * A node event's times written by Instant.toString (DateTimeFormatter) and by IsoInstant.format, alternating in
 * rounds in one JVM: thread CPU per round of n times (round 0 is the cold one a run pays once). Both give the same
 * text (IsoInstantTest).
 * Usage: java -XX:TieredStopAtLevel=1 -cp engine/target/engine-cli.jar bench/IsoInstantCost.java [n] [rounds]
 */
public class IsoInstantCost {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            long t0 = bean.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) sink += Instant.now().toString().length();
            long t1 = bean.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) sink += IsoInstant.format(Instant.now()).length();
            long t2 = bean.getCurrentThreadCpuTime();
            System.out.printf("round %d: Instant.toString %.2f ms, IsoInstant.format %.2f ms (%d times each)%n",
                    round, (t1 - t0) / 1e6, (t2 - t1) / 1e6, n);
        }
        if (sink == 42) System.out.println();
    }
}
