package org.fraudplatform.api.payments;

import org.fraudplatform.api.http.Problem;

/** Turns a request body into an accepted request, or refuses it with a problem. */
public interface RequestMapper {

    AcceptedRequest accept(String merchantId, byte[] body) throws Rejected;

    /** The body is not acceptable; the problem says why and which field. */
    final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Problem problem;

        public Rejected(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }
}
