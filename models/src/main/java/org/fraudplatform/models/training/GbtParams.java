package org.fraudplatform.models.training;

/**
 * Gradient-boosted trees settings (XGBoost names in brackets).
 *
 * @param trees boosting rounds, one tree each ({@code num_round})
 * @param maxDepth deepest split level ({@code max_depth})
 * @param eta learning rate ({@code eta})
 * @param subsample share of rows each tree sees, drawn with the seed ({@code subsample})
 * @param columnSample share of features each tree sees ({@code colsample_bytree})
 * @param minChildWeight least hessian weight in a leaf ({@code min_child_weight})
 * @param lambda L2 penalty on leaf values ({@code lambda})
 * @param classWeight the weight of a fraud row against a genuine one ({@code scale_pos_weight})
 * @param threads XGBoost threads ({@code nthread}); the same data, seed and thread count give the
 *     same model, another thread count may differ in the last bits (histograms sum in another
 *     order)
 * @param progressEvery a progress line every this many trees
 */
public record GbtParams(
        int trees,
        int maxDepth,
        double eta,
        double subsample,
        double columnSample,
        double minChildWeight,
        double lambda,
        ClassWeight classWeight,
        int threads,
        int progressEvery) {

    /** Checks ranges. */
    public GbtParams {
        if (trees < 1 || maxDepth < 1 || threads < 1 || progressEvery < 1) {
            throw new IllegalArgumentException(
                    "trees, maxDepth, threads and progressEvery must be positive");
        }
        if (!(eta > 0 && eta <= 1)
                || !(subsample > 0 && subsample <= 1)
                || !(columnSample > 0 && columnSample <= 1)) {
            throw new IllegalArgumentException("eta, subsample and columnSample must be in (0, 1]");
        }
        if (!(minChildWeight >= 0) || !(lambda >= 0)) {
            throw new IllegalArgumentException("minChildWeight and lambda must not be negative");
        }
        if (classWeight == null) {
            throw new IllegalArgumentException("a class weight is required");
        }
    }

    /**
     * 300 trees of depth 5, eta 0.08, 80 % of rows and features per tree, balanced classes, one
     * thread.
     */
    public static GbtParams defaults() {
        return new GbtParams(300, 5, 0.08, 0.8, 0.8, 1, 1, ClassWeight.BALANCED, 1, 50);
    }

    /** These settings with another number of trees. */
    public GbtParams withTrees(int trees) {
        return new GbtParams(
                trees,
                maxDepth,
                eta,
                subsample,
                columnSample,
                minChildWeight,
                lambda,
                classWeight,
                threads,
                progressEvery);
    }

    /** These settings with another depth. */
    public GbtParams withMaxDepth(int maxDepth) {
        return new GbtParams(
                trees,
                maxDepth,
                eta,
                subsample,
                columnSample,
                minChildWeight,
                lambda,
                classWeight,
                threads,
                progressEvery);
    }

    /** These settings with another learning rate. */
    public GbtParams withEta(double eta) {
        return new GbtParams(
                trees,
                maxDepth,
                eta,
                subsample,
                columnSample,
                minChildWeight,
                lambda,
                classWeight,
                threads,
                progressEvery);
    }

    /** These settings with another class weighting. */
    public GbtParams withClassWeight(ClassWeight classWeight) {
        return new GbtParams(
                trees,
                maxDepth,
                eta,
                subsample,
                columnSample,
                minChildWeight,
                lambda,
                classWeight,
                threads,
                progressEvery);
    }

    /** These settings with another thread count. */
    public GbtParams withThreads(int threads) {
        return new GbtParams(
                trees,
                maxDepth,
                eta,
                subsample,
                columnSample,
                minChildWeight,
                lambda,
                classWeight,
                threads,
                progressEvery);
    }
}
