package io.couloy.engine;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The child process of {@link CrashTest}: writes until killed, printing what it is about to do
 * ("WILL ...") before each call and what was acknowledged ("ACK ...") after it returns.
 *
 * <p>Arguments: data directory, sync policy, round number, "merge" or "nomerge", seed.
 */
public final class CrashWorker {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        SyncPolicy policy = SyncPolicy.valueOf(args[1]);
        int round = Integer.parseInt(args[2]);
        boolean merge = args[3].equals("merge");
        Random random = new Random(Long.parseLong(args[4]));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Options options = Options.builder(dir).syncPolicy(policy).dataFileSize(64 * 1024)
                .mergeInterval(Duration.ZERO).build();
        CouloyDB db = CouloyDB.open(options);
        if (merge) {
            Thread merger = new Thread(() -> {
                while (true) {
                    try {
                        db.merge();
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    } catch (DatabaseClosedException e) {
                        return;
                    }
                }
            });
            merger.setDaemon(true);
            merger.start();
        }
        out.println("READY");
        List<String> live = new ArrayList<>();
        for (int n = 0; ; n++) {
            double dice = random.nextDouble();
            if (dice < 0.2 && !live.isEmpty()) {
                String key = live.remove(random.nextInt(live.size()));
                out.println("WILLDEL " + key);
                db.delete(key.getBytes(StandardCharsets.UTF_8));
                out.println("ACKDEL " + key);
            } else if (dice < 0.3) {
                WriteBatch batch = new WriteBatch();
                StringBuilder keys = new StringBuilder();
                for (int i = 0; i < 3; i++) {
                    String key = round + ":" + n + "b" + i;
                    batch.put(key.getBytes(StandardCharsets.UTF_8), value(key));
                    keys.append(' ').append(key);
                    live.add(key);
                }
                String victim = live.isEmpty() ? null : live.remove(random.nextInt(live.size()));
                if (victim != null && !victim.startsWith(round + ":" + n + "b")) {
                    batch.delete(victim.getBytes(StandardCharsets.UTF_8));
                } else if (victim != null) {
                    live.add(victim);
                    victim = null;
                }
                out.println("WILLBATCH" + keys + (victim == null ? "" : " -" + victim));
                db.write(batch);
                out.println("ACKBATCH" + keys + (victim == null ? "" : " -" + victim));
            } else {
                String key = round + ":" + n;
                db.put(key.getBytes(StandardCharsets.UTF_8), value(key));
                out.println("ACKPUT " + key);
                live.add(key);
            }
        }
    }

    /** The value written for a key: derived from it, 20 to 800 bytes, so a wrong value is noticed. */
    static byte[] value(String key) {
        int len = 20 + Math.floorMod(key.hashCode(), 780);
        StringBuilder sb = new StringBuilder(len);
        while (sb.length() < len) {
            sb.append(key).append('|');
        }
        return sb.substring(0, len).getBytes(StandardCharsets.UTF_8);
    }
}
