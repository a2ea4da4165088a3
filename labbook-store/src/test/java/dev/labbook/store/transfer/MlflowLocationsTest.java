package dev.labbook.store.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where an MLflow run's files are found, in each form MLflow records its locations, and where they go. */
class MlflowLocationsTest {
    @TempDir
    Path tmp;

    private Path dir(String relative) throws Exception {
        return Files.createDirectories(tmp.resolve(relative)).toAbsolutePath().normalize();
    }

    @Test
    void proxyLocationsWithOrWithoutAHostAreUnderTheRoot() throws Exception {
        Path files = dir("mlartifacts/1/abc/artifacts");
        MlflowLocations l = new MlflowLocations(tmp.resolve("mlartifacts"));
        for (String uri : new String[] {"mlflow-artifacts:/1/abc/artifacts", "mlflow-artifacts://tracking:5000/1/abc/artifacts/"}) {
            MlflowLocations.Location loc = l.locate(uri, "1/abc/artifacts");
            assertEquals("mlflow-artifacts:/1/abc/artifacts", loc.uri());
            assertEquals(files, loc.localDir());
        }
    }

    @Test
    void fileAndRelativeLocationsOfAStoreWithoutTheProxy() throws Exception {
        Path files = dir("mlruns/2/def/artifacts");
        MlflowLocations l = new MlflowLocations(tmp.resolve("mlruns"));
        MlflowLocations.Location abs = l.locate("file://" + files, "2/def/artifacts");
        assertEquals("mlflow-artifacts:/2/def/artifacts", abs.uri());
        assertEquals(files, abs.localDir());
        MlflowLocations.Location rel = l.locate("./mlruns/2/def/artifacts", "2/def/artifacts");
        assertEquals(files, rel.localDir(), "relative to the folder holding mlruns");
        MlflowLocations.Location moved = l.locate("file:///home/someone/old/mlruns/2/def/artifacts", "2/def/artifacts");
        assertEquals("2/def/artifacts", moved.storePath(), "a store from another machine, found by its layout");
        assertEquals(files, moved.localDir());
    }

    @Test
    void unescapedSpacesObjectStoresAndMissingFolders() throws Exception {
        Path files = dir("mlruns/3/g h/artifacts");
        MlflowLocations l = new MlflowLocations(tmp.resolve("mlruns"));
        assertEquals(files, l.locate("file://" + files, "3/gh/artifacts").localDir());
        MlflowLocations.Location s3 = l.locate("s3://bucket/mlflow/3/x/artifacts", "3/x/artifacts");
        assertTrue(s3.remote());
        assertEquals("s3://bucket/mlflow/3/x/artifacts", s3.uri());
        MlflowLocations.Location none = l.locate("mlflow-artifacts:/4/nothing/artifacts", "4/nothing/artifacts");
        assertEquals("mlflow-artifacts:/4/nothing/artifacts", none.uri());
        assertNull(none.localDir(), "a run without files");
    }
}
