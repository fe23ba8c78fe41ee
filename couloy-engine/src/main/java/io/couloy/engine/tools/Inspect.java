package io.couloy.engine.tools;

import io.couloy.engine.format.DirectoryFormat;
import io.couloy.engine.format.HintCodec;
import io.couloy.engine.format.KeyText;
import io.couloy.engine.log.DataFile;
import io.couloy.engine.log.RecordScanner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Offline checks of a data directory, with the database closed (or read-only):
 *
 * <pre>
 * java -cp couloy-engine.jar io.couloy.engine.tools.Inspect verify DIR   # every record's CRC, every hint
 * java -cp couloy-engine.jar io.couloy.engine.tools.Inspect dump FILE    # one line per record of a data file
 * </pre>
 *
 * {@code verify} exits 0 when everything checks out, 1 when it found damage (listed with file
 * and offset), 2 on a usage error. It changes nothing.
 */
public final class Inspect {
    private Inspect() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !(args[0].equals("verify") || args[0].equals("dump"))) {
            System.err.println("usage: Inspect verify DIR | Inspect dump FILE.data");
            System.exit(2);
        }
        Path path = Path.of(args[1]);
        int status = args[0].equals("verify") ? verify(path, System.out) : dump(path, System.out);
        System.exit(status);
    }

    /** Checks every data file and hint in {@code dir}; prints findings; returns 0 if all intact, else 1. */
    public static int verify(Path dir, PrintStream out) throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> dataFiles;
        try (Stream<Path> s = Files.list(dir)) {
            dataFiles = s.filter(p -> DirectoryFormat.dataId(p.getFileName().toString()) > 0).sorted().toList();
        }
        long records = 0;
        for (Path p : dataFiles) {
            int id = DirectoryFormat.dataId(p.getFileName().toString());
            DataFile f = DataFile.open(p, id, false);
            try {
                RecordScanner scanner = new RecordScanner(f);
                while (scanner.next()) {
                    records++;
                }
                if (scanner.end() != RecordScanner.End.CLEAN) {
                    problems.add(p + " offset " + scanner.validLength() + ": " + scanner.endReason()
                            + " (" + scanner.end() + ")");
                }
            } finally {
                f.close();
            }
            Path hint = dir.resolve(DirectoryFormat.hintName(id));
            if (Files.exists(hint)) {
                String problem = HintCodec.parse(Files.readAllBytes(hint), (t, e, o, s, k, v) -> { });
                if (problem != null) {
                    problems.add(hint + ": " + problem);
                }
            }
        }
        out.println(dataFiles.size() + " data files, " + records + " intact records");
        problems.forEach(pr -> out.println("DAMAGED " + pr));
        return problems.isEmpty() ? 0 : 1;
    }

    /** Prints one line per record of a data file: offset, type, sizes, expiry, key. */
    public static int dump(Path file, PrintStream out) {
        DataFile f = DataFile.open(file, Math.max(1, DirectoryFormat.dataId(file.getFileName().toString())), false);
        try {
            RecordScanner scanner = new RecordScanner(f);
            while (scanner.next()) {
                var h = scanner.header();
                out.println(scanner.offset() + "\t" + h.type() + "\tsize=" + h.recordSize() + "\tvalue=" + h.valueLength()
                        + "\texpiry=" + h.expiry() + "\tkey=" + KeyText.of(scanner.key(), Integer.MAX_VALUE));
            }
            if (scanner.end() != RecordScanner.End.CLEAN) {
                out.println(scanner.validLength() + "\tSTOP\t" + scanner.end() + ": " + scanner.endReason());
                return 1;
            }
            return 0;
        } finally {
            f.close();
        }
    }

}
