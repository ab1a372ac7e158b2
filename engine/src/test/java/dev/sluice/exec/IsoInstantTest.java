package dev.sluice.exec;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IsoInstantTest {
    @Test
    void writesWhatInstantToStringWrites() {
        long[] seconds = {0, -1, 1, 59, 86_399, 86_400, -86_401, 951_782_400L /* 2000-02-29 */, 1_796_300_000L,
                -62_167_219_200L /* year 0 */, -62_167_219_201L /* year -1: Instant's own */,
                253_402_300_799L /* 9999-12-31T23:59:59 */, 253_402_300_800L /* year 10000: Instant's own */};
        int[] nanos = {0, 1, 999, 1_000, 1_001, 999_999, 1_000_000, 1_000_001, 120_000_000, 123_456_000, 123_456_789,
                999_999_999};
        for (long s : seconds) {
            for (int n : nanos) {
                Instant t = Instant.ofEpochSecond(s, n);
                assertEquals(t.toString(), IsoInstant.format(t), "epoch second " + s + ", nano " + n);
            }
        }
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 200_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-70_000_000_000L, 260_000_000_000L),
                    random.nextInt(4) == 0 ? random.nextInt(1_000) * 1_000_000 : random.nextInt(1_000_000_000));
            assertEquals(t.toString(), IsoInstant.format(t));
        }
        Instant now = Instant.now();
        assertEquals(now.toString(), IsoInstant.format(now));
    }
}
