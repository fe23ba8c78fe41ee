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
 * <p>Besides strings it writes hash fields and set members ("ACKHSET hash field", "ACKSADD set
 * member", "ACKHDEL hash field") and deletes whole hashes ("ACKDELHASH hash"), on a few
 * collections shared by every round, so typed state outlives many kills; and transactions of
 * three typed writes ("ACKTXN id"), which must survive all together or not at all.
 *
 * <p>Arguments: data directory, sync policy, round number, "merge" or "nomerge" (merges of all
 * files and of runs of them, back to back), seed.
 */
public final class CrashWorker {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        SyncPolicy policy = SyncPolicy.valueOf(args[1]);
        int round = Integer.parseInt(args[2]);
        boolean merge = args[3].equals("merge");
        Random random = new Random(Long.parseLong(args[4]));
        boolean deferred = args.length > 5 && args[5].equals("deferred");
        // With deferred writes an operation is acknowledged only once flushWrites() has returned,
        // as the server acknowledges a pipelined batch after flushing it.
        AckPrinter out = new AckPrinter(deferred);
        // Each way of reading a merge's inputs in turn, by round.
        MergeReads reads = MergeReads.values()[round % MergeReads.values().length];
        Options options = Options.builder(dir).syncPolicy(policy).dataFileSize(64 * 1024)
                .mergeInterval(Duration.ZERO).deferredWrites(deferred).mergeReads(reads).build();
        CouloyDB db = CouloyDB.open(options);
        if (merge) {
            Random runs = new Random(random.nextLong());
            Thread merger = new Thread(() -> {
                while (true) {
                    try {
                        // Every other merge takes a run that usually leaves older files out.
                        if (runs.nextBoolean()) {
                            db.merge();
                        } else {
                            db.merge(MergeRuns.run(runs.nextInt(50), runs.nextInt(50)));
                        }
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
        List<String[]> fields = new ArrayList<>();
        for (int n = 0; ; n++) {
            if (deferred && random.nextInt(8) == 0) {
                db.flushWrites();
                out.release();
            }
            double dice = random.nextDouble();
            if (dice < 0.3) {
                typed(db, out, random, round, n, fields);
            } else if (dice < 0.45 && !live.isEmpty()) {
                String key = live.remove(random.nextInt(live.size()));
                out.println("WILLDEL " + key);
                db.delete(key.getBytes(StandardCharsets.UTF_8));
                out.println("ACKDEL " + key);
            } else if (dice < 0.55) {
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

    /** Prints progress lines; in deferred mode holds the ACK lines back until {@link #release()}. */
    static final class AckPrinter {
        private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        private final boolean deferred;
        private final List<String> held = new ArrayList<>();

        AckPrinter(boolean deferred) {
            this.deferred = deferred;
        }

        void println(String line) {
            if (deferred && line.startsWith("ACK")) {
                held.add(line);
            } else {
                out.println(line);
            }
        }

        void release() {
            held.forEach(out::println);
            held.clear();
        }
    }

    private static void typed(CouloyDB db, AckPrinter out, Random random, int round, int n, List<String[]> fields) {
        double dice = random.nextDouble();
        String hash = "h" + random.nextInt(3);
        if (dice < 0.15) {
            // A transaction of three typed writes: after a crash, all of them or none.
            String id = round + ":" + n;
            out.println("WILLTXN " + id);
            db.update(txn -> {
                txn.put(b("t:" + id), value(id));
                txn.queue(d -> d.hashes().set(b("th"), b(id), value(id)));
                txn.queue(d -> d.sets().add(b("ts"), List.of(b(id))));
            });
            out.println("ACKTXN " + id);
        } else if (dice < 0.5) {
            String field = round + ":" + n;
            db.hashes().set(b(hash), b(field), value(field));
            out.println("ACKHSET " + hash + " " + field);
            fields.add(new String[] {hash, field});
        } else if (dice < 0.8) {
            String set = "s" + random.nextInt(3);
            String member = round + ":" + n;
            db.sets().add(b(set), List.of(b(member), b(member + "+")));
            out.println("ACKSADD " + set + " " + member);
        } else if (dice < 0.97 && !fields.isEmpty()) {
            String[] f = fields.remove(random.nextInt(fields.size()));
            out.println("WILLHDEL " + f[0] + " " + f[1]);
            db.hashes().delete(b(f[0]), List.of(b(f[1])));
            out.println("ACKHDEL " + f[0] + " " + f[1]);
        } else {
            out.println("WILLDELHASH " + hash);
            db.delete(b(hash));
            out.println("ACKDELHASH " + hash);
            fields.removeIf(f -> f[0].equals(hash));
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
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
