package io.couloy.engine.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.couloy.engine.log.DataFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeScopeTest {
    @TempDir
    Path dir;

    private final List<DataFile> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(DataFile::close);
    }

    /** Files of 1000 bytes each with these live shares, in percent. */
    private List<DataFile> files(int... livePercent) {
        List<DataFile> files = new ArrayList<>();
        for (int percent : livePercent) {
            DataFile f = DataFile.create(dir, opened.size() + 1);
            opened.add(f);
            f.append(new byte[1000], 0, 1000);
            f.liveBytes().set(percent * 10L);
            files.add(f);
        }
        return files;
    }

    private static List<Integer> ids(List<DataFile> files) {
        return files.stream().map(DataFile::id).toList();
    }

    @Test
    void leavesTheMostlyLiveOutputOfAnEarlierMerge() {
        List<DataFile> files = files(95, 90, 100, 20, 30, 10, 60);
        assertThat(ids(MergeScope.fragmented(0.5).select(files))).containsExactly(4, 5, 6);
    }

    @Test
    void joinsTwoDeadRuns_whenWhatLiesBetweenCostsLessThanTheyGain() {
        assertThat(ids(MergeScope.fragmented(0.5).select(files(0, 0, 60, 0, 0)))).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void takesTheBetterOfTwoDeadRuns_whenWhatLiesBetweenCostsMore() {
        assertThat(ids(MergeScope.fragmented(0.5).select(files(0, 100, 100, 100, 10)))).containsExactly(1);
    }

    @Test
    void neverTakesAFileToAvoid_theRunsBesideItStayOpen() {
        List<DataFile> files = files(0, 0, 60, 0, 0);
        // Without file 3 in the way the whole set is one run (above); avoiding it splits the
        // run in two, and of equal runs the first is kept.
        assertThat(ids(MergeScope.fragmented(0.5, f -> f.id() == 3).select(files))).containsExactly(1, 2);
        assertThat(ids(MergeScope.fragmented(0.5, f -> f.id() == 1).select(files))).containsExactly(2, 3, 4, 5);
        assertThat(MergeScope.fragmented(0.5, f -> true).select(files)).isEmpty();
    }

    @Test
    void nothing_whenNoRunIsDeadEnough() {
        assertThat(MergeScope.fragmented(0.5).select(files(60, 70, 100))).isEmpty();
        assertThat(MergeScope.fragmented(0.3).select(files(80, 90))).isEmpty();
    }

    @Test
    void ratioOne_takesOnlyWhollyDeadFiles() {
        assertThat(ids(MergeScope.fragmented(1).select(files(100, 0, 0, 1, 0)))).containsExactly(2, 3);
    }

    @Test
    void liveBytesOutOfRange_areClamped() {
        List<DataFile> files = files(100, 0);
        files.get(0).liveBytes().set(5000);
        files.get(1).liveBytes().set(-5);
        assertThat(ids(MergeScope.fragmented(0.5).select(files))).containsExactly(2);
    }
}
