package dev.labbook.store.artifact.s3;

import dev.labbook.core.ErrorCode;
import dev.labbook.core.LabbookException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * S3 failures as MLflow errors: the client learns whether to retry (503, 429) or to ask the
 * operator (403, 500). Messages name the location and S3's error code, never credentials, and
 * never S3's own message text (a signature error's text quotes the request it signed).
 */
final class S3Errors {
    private static final Logger LOG = LoggerFactory.getLogger(S3Errors.class);

    private S3Errors() {}

    /** True when S3 answered that the object (or bucket) is not there. */
    static boolean isNotFound(SdkException e) {
        return e instanceof AwsServiceException s && s.statusCode() == 404;
    }

    /** The error to throw for a failed {@code action} ("read", "write", ...) on {@code where}. */
    static LabbookException map(SdkException e, String action, String where) {
        if (!(e instanceof AwsServiceException s)) {
            // no answer: connection refused, timeout, DNS, TLS
            LOG.warn("S3 {} of {} failed: {}", action, where, e.getMessage());
            return new LabbookException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "The artifact store cannot be reached (" + action + " " + where + "); try again later", e);
        }
        String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
        String detail = "S3 answered " + s.statusCode() + (code == null ? "" : " " + code);
        LOG.warn("S3 {} of {} failed: {} (request id {})", action, where, detail, s.requestId());
        String message = "Cannot " + action + " " + where + " in the artifact store: " + detail;
        if (s.statusCode() == 403 || s.statusCode() == 401) {
            return new LabbookException(ErrorCode.PERMISSION_DENIED,
                    message + " (check the server's AWS credentials and the bucket's policy)", e);
        }
        if (s.statusCode() == 400) {
            // the request's content: parts missing or too small, a key too long
            return new LabbookException(ErrorCode.INVALID_PARAMETER_VALUE, message, e);
        }
        if ("NoSuchBucket".equals(code)) {
            return new LabbookException(ErrorCode.INTERNAL_ERROR, message + " (the server's bucket does not exist)", e);
        }
        if (s.statusCode() == 404) {
            // NoSuchUpload (some stores say NoSuchKey): a multipart upload completed, aborted or never started
            return new LabbookException(ErrorCode.RESOURCE_DOES_NOT_EXIST, message, e);
        }
        if (s.statusCode() == 429 || "SlowDown".equals(code)) {
            return new LabbookException(ErrorCode.REQUEST_LIMIT_EXCEEDED, message + "; try again later", e);
        }
        if (s.statusCode() >= 500 && s.statusCode() != 501) {
            return new LabbookException(ErrorCode.TEMPORARILY_UNAVAILABLE, message + "; try again later", e);
        }
        return new LabbookException(ErrorCode.INTERNAL_ERROR, message, e);
    }
}
