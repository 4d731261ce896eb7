package org.fraudplatform.models.runtime;

import java.util.Arrays;
import java.util.List;

/**
 * Gradient-boosted trees as XGBoost's {@code binary:logistic} scores them: {@code P(fraud) =
 * sigmoid(baseMargin + Σ leaf)}, one leaf per tree.
 *
 * <p>The split rule is XGBoost's own, to the bit: the value is first rounded to a float (XGBoost
 * keeps features and thresholds in 32 bits), goes left when {@code value < threshold}, and a
 * missing value (NaN) follows the node's default direction. The margin is summed in float in tree
 * order, as XGBoost's CPU predictor does, so the two agree on the last bit of the margin.
 *
 * <p>{@link #explain} gives Saabas path contributions on the margin (log-odds): each node's value
 * is the cover-weighted mean of its leaves (as XGBoost's approximate contributions use), and every
 * split on a row's path credits its feature with the change from the node's value to the chosen
 * child's. The {@link #bias()} (base margin plus the roots' values, the expected margin) plus the
 * contributions equals the {@link #margin}.
 */
public final class TreeEnsemble implements ScoringModel {

    /** The registry's name of this kind. */
    public static final String KIND = "gradient_boosted_trees";

    /** Trees walked side by side; see {@link #margin}. */
    private static final int LANES = 8;

    /**
     * One tree, nodes numbered from its root 0, each child numbered after its parent. Every array
     * has one entry per node.
     *
     * @param feature the split's feature index; -1 for a leaf
     * @param threshold the split value: {@code value < threshold} goes left (unused for a leaf)
     * @param left the left child; -1 for a leaf
     * @param right the right child; -1 for a leaf
     * @param defaultLeft where a missing value goes (unused for a leaf)
     * @param value the leaf's margin (unused for an inner node)
     * @param cover the training weight (sum of hessians) that reached the node
     */
    public record Tree(
            int[] feature,
            float[] threshold,
            int[] left,
            int[] right,
            boolean[] defaultLeft,
            float[] value,
            float[] cover) {

        /** Checks that the arrays describe one tree; copies them. */
        public Tree {
            int n = feature == null ? 0 : feature.length;
            if (n == 0) {
                throw new IllegalArgumentException("a tree needs at least one node");
            }
            if (threshold == null
                    || left == null
                    || right == null
                    || defaultLeft == null
                    || value == null
                    || cover == null
                    || threshold.length != n
                    || left.length != n
                    || right.length != n
                    || defaultLeft.length != n
                    || value.length != n
                    || cover.length != n) {
                throw new IllegalArgumentException(
                        "a tree's arrays must all have one entry per node (" + n + ")");
            }
            int[] parents = new int[n];
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(cover[i]) || cover[i] < 0) {
                    throw new IllegalArgumentException("node " + i + " has cover " + cover[i]);
                }
                if (feature[i] == -1) {
                    if (left[i] != -1 || right[i] != -1) {
                        throw new IllegalArgumentException("leaf " + i + " has children");
                    }
                    if (!Float.isFinite(value[i])) {
                        throw new IllegalArgumentException("leaf " + i + " has value " + value[i]);
                    }
                    continue;
                }
                if (feature[i] < 0) {
                    throw new IllegalArgumentException(
                            "node " + i + " splits on feature " + feature[i]);
                }
                if (Float.isNaN(threshold[i])) {
                    throw new IllegalArgumentException("node " + i + " has threshold NaN");
                }
                for (int child : new int[] {left[i], right[i]}) {
                    if (child <= i || child >= n) {
                        throw new IllegalArgumentException(
                                "node " + i + " has child " + child + " (nodes: " + n + ")");
                    }
                    parents[child]++;
                }
            }
            for (int i = 1; i < n; i++) {
                if (parents[i] != 1) {
                    throw new IllegalArgumentException(
                            "node " + i + " has " + parents[i] + " parents, expected 1");
                }
            }
            feature = feature.clone();
            threshold = threshold.clone();
            left = left.clone();
            right = right.clone();
            defaultLeft = defaultLeft.clone();
            value = value.clone();
            cover = cover.clone();
        }

        /** Nodes. */
        public int size() {
            return feature.length;
        }

        @Override
        public int[] feature() {
            return feature.clone();
        }

        @Override
        public float[] threshold() {
            return threshold.clone();
        }

        @Override
        public int[] left() {
            return left.clone();
        }

        @Override
        public int[] right() {
            return right.clone();
        }

        @Override
        public boolean[] defaultLeft() {
            return defaultLeft.clone();
        }

        @Override
        public float[] value() {
            return value.clone();
        }

        @Override
        public float[] cover() {
            return cover.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tree other
                    && Arrays.equals(feature, other.feature)
                    && Arrays.equals(threshold, other.threshold)
                    && Arrays.equals(left, other.left)
                    && Arrays.equals(right, other.right)
                    && Arrays.equals(defaultLeft, other.defaultLeft)
                    && Arrays.equals(value, other.value)
                    && Arrays.equals(cover, other.cover);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(feature) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Tree[" + feature.length + " nodes]";
        }
    }

    private final List<String> featureNames;
    private final float baseMargin;
    private final List<Tree> trees;

    // Every tree's nodes in one int array, three per node, the trees one after the other and
    // each laid out in pre-order, so a split's left child is the next node:
    //   [3n]     the split's feature << 1, plus 1 when a missing value goes left
    //   [3n + 1] the split's threshold as float bits
    //   [3n + 2] the split's right child
    // A leaf is a split that always leads back to itself (feature 0, threshold NaN, right child
    // itself, missing goes right), so a walk may take more steps than the tree is deep. Empty
    // trees (one leaf of -0.0, which leaves any sum unchanged) pad the ensemble to whole groups of
    // LANES trees.
    private final int[] roots;
    private final int[] nodes;
    private final float[] leafValue;
    private final int[] groupDepth;
    private final double[] mean;
    private final double bias;

    /**
     * @param featureNames the inputs in order; a tree's feature index points into it
     * @param baseMargin the margin before any tree (XGBoost's {@code base_score} as log-odds)
     * @param trees at least one
     */
    public TreeEnsemble(List<String> featureNames, float baseMargin, List<Tree> trees) {
        this.featureNames = Explanations.featureNames(featureNames);
        if (!Float.isFinite(baseMargin)) {
            throw new IllegalArgumentException("base margin is " + baseMargin);
        }
        if (trees == null || trees.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one tree");
        }
        this.baseMargin = baseMargin;
        this.trees = List.copyOf(trees);
        int padded = (this.trees.size() + LANES - 1) / LANES * LANES;
        int count = this.trees.stream().mapToInt(Tree::size).sum() + padded - this.trees.size();
        roots = new int[padded];
        nodes = new int[3 * count];
        leafValue = new float[count];
        groupDepth = new int[padded / LANES];
        mean = new double[count];
        double expected = baseMargin;
        int at = 0;
        for (int t = 0; t < padded; t++) {
            roots[t] = at;
            if (t >= this.trees.size()) {
                leaf(at++, -0.0f);
                continue;
            }
            Tree tree = this.trees.get(t);
            for (int i = 0; i < tree.size(); i++) {
                if (tree.feature[i] >= this.featureNames.size()) {
                    throw new IllegalArgumentException(
                            "tree "
                                    + t
                                    + " node "
                                    + i
                                    + " splits on feature "
                                    + tree.feature[i]
                                    + " of "
                                    + this.featureNames.size());
                }
            }
            double[] means = nodeMeans(tree);
            // pre-order: a node, then its left subtree, then its right one
            int[] stack = new int[tree.size() + 1];
            int[] depth = new int[tree.size() + 1];
            int[] rightOf = new int[tree.size() + 1];
            int top = 0;
            stack[top] = 0;
            rightOf[top++] = -1;
            while (top > 0) {
                top--;
                int i = stack[top];
                int d = depth[top];
                if (rightOf[top] >= 0) {
                    nodes[3 * rightOf[top] + 2] = at;
                }
                mean[at] = means[i];
                groupDepth[t / LANES] = Math.max(groupDepth[t / LANES], d);
                if (tree.feature[i] < 0) {
                    leaf(at, tree.value[i]);
                } else {
                    nodes[3 * at] = tree.feature[i] << 1 | (tree.defaultLeft[i] ? 1 : 0);
                    nodes[3 * at + 1] = Float.floatToRawIntBits(tree.threshold[i]);
                    stack[top] = tree.right[i];
                    depth[top] = d + 1;
                    rightOf[top++] = at;
                    stack[top] = tree.left[i];
                    depth[top] = d + 1;
                    rightOf[top++] = -1;
                }
                at++;
            }
            expected += means[0];
        }
        this.bias = expected;
    }

    /**
     * A bag of ensembles as one: the mean of their margins, {@code (Σ_k margin_k) / n}, is the base
     * margins' mean plus every member's trees with their leaf values divided by {@code n}, so a bag
     * scores, explains and stores as any other ensemble. Leaf values are floats, so the margin may
     * differ from the exact mean of the members' margins in the last bits.
     *
     * @param members at least one, all on the same inputs in the same order
     * @throws IllegalArgumentException without members, or when their inputs differ
     */
    public static TreeEnsemble average(List<TreeEnsemble> members) {
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("a bag needs at least one ensemble");
        }
        if (members.size() == 1) {
            return members.get(0);
        }
        List<String> names = members.get(0).featureNames();
        float n = members.size();
        double base = 0;
        List<Tree> trees = new java.util.ArrayList<>();
        for (TreeEnsemble m : members) {
            if (!m.featureNames().equals(names)) {
                throw new IllegalArgumentException(
                        "the ensembles of a bag must share their inputs: "
                                + names
                                + " vs "
                                + m.featureNames());
            }
            base += m.baseMargin;
            for (Tree t : m.trees) {
                float[] value = t.value();
                for (int i = 0; i < value.length; i++) {
                    value[i] /= n;
                }
                trees.add(
                        new Tree(
                                t.feature(),
                                t.threshold(),
                                t.left(),
                                t.right(),
                                t.defaultLeft(),
                                value,
                                t.cover()));
            }
        }
        return new TreeEnsemble(names, (float) (base / members.size()), trees);
    }

    /** Makes node {@code n} a leaf: a split that leads back to {@code n} whatever the row. */
    private void leaf(int n, float value) {
        nodes[3 * n] = 0;
        nodes[3 * n + 1] = Float.floatToRawIntBits(Float.NaN);
        nodes[3 * n + 2] = n;
        leafValue[n] = value;
    }

    /**
     * Each node's value for the explanations: a leaf's own, a split's the cover-weighted mean of
     * its children's, divided by its own cover as XGBoost does. Children come after parents, so one
     * backward pass fills them.
     */
    private static double[] nodeMeans(Tree tree) {
        double[] means = new double[tree.size()];
        for (int i = tree.size() - 1; i >= 0; i--) {
            if (tree.feature[i] < 0) {
                means[i] = tree.value[i];
                continue;
            }
            double coverLeft = tree.cover[tree.left[i]];
            double coverRight = tree.cover[tree.right[i]];
            double weight = tree.cover[i] > 0 ? tree.cover[i] : coverLeft + coverRight;
            double meanLeft = means[tree.left[i]];
            double meanRight = means[tree.right[i]];
            means[i] =
                    weight > 0
                            ? (meanLeft * coverLeft + meanRight * coverRight) / weight
                            : (meanLeft + meanRight) / 2;
        }
        return means;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<String> featureNames() {
        return featureNames;
    }

    /** The margin before any tree. */
    public float baseMargin() {
        return baseMargin;
    }

    /** The trees, in boosting order. */
    public List<Tree> trees() {
        return trees;
    }

    /**
     * One step from node {@code n} by XGBoost's rule: the value rounded to float goes left when
     * below the threshold, a missing one (NaN, below nothing) the default way. Branch-free: the way
     * a row goes is data, not a prediction the processor can learn, and a mispredicted branch per
     * node would cost more than the arithmetic.
     */
    private int step(double[] x, int n) {
        int split = nodes[3 * n];
        float v = (float) x[split >>> 1];
        int below = v < Float.intBitsToFloat(nodes[3 * n + 1]) ? 1 : 0;
        int missingLeft = (v != v ? 1 : 0) & split;
        int right = nodes[3 * n + 2];
        return right + ((n + 1 - right) & -(below | missingLeft));
    }

    /**
     * The log-odds of fraud: the base margin plus one leaf per tree, summed in float in tree order
     * as XGBoost's CPU predictor does. The trees are walked {@value #LANES} at a time, each step
     * advancing all of them: their walks are independent, so the processor overlaps them instead of
     * waiting on one node's memory and comparison before the next (about 2.5 times faster for a
     * single row than one tree after the other).
     */
    public float margin(double[] x) {
        Explanations.checkRow(x, featureNames);
        float margin = baseMargin;
        for (int g = 0; g < groupDepth.length; g++) {
            int first = g * LANES;
            int n0 = roots[first];
            int n1 = roots[first + 1];
            int n2 = roots[first + 2];
            int n3 = roots[first + 3];
            int n4 = roots[first + 4];
            int n5 = roots[first + 5];
            int n6 = roots[first + 6];
            int n7 = roots[first + 7];
            for (int d = groupDepth[g]; d > 0; d--) {
                n0 = step(x, n0);
                n1 = step(x, n1);
                n2 = step(x, n2);
                n3 = step(x, n3);
                n4 = step(x, n4);
                n5 = step(x, n5);
                n6 = step(x, n6);
                n7 = step(x, n7);
            }
            margin += leafValue[n0];
            margin += leafValue[n1];
            margin += leafValue[n2];
            margin += leafValue[n3];
            margin += leafValue[n4];
            margin += leafValue[n5];
            margin += leafValue[n6];
            margin += leafValue[n7];
        }
        return margin;
    }

    @Override
    public double score(double[] x) {
        return Explanations.sigmoid(margin(x));
    }

    /** The expected margin: base margin plus every root's cover-weighted mean leaf. */
    public double bias() {
        return bias;
    }

    /** Saabas contributions to the margin, one per feature; with {@link #bias()} they sum to it. */
    public double[] contributions(double[] x) {
        Explanations.checkRow(x, featureNames);
        double[] contributions = new double[featureNames.size()];
        // the walks of {@link #margin}, each step crediting its split's feature (a leaf's step
        // back to itself credits feature 0 with nothing)
        for (int g = 0; g < groupDepth.length; g++) {
            int first = g * LANES;
            int n0 = roots[first];
            int n1 = roots[first + 1];
            int n2 = roots[first + 2];
            int n3 = roots[first + 3];
            int n4 = roots[first + 4];
            int n5 = roots[first + 5];
            int n6 = roots[first + 6];
            int n7 = roots[first + 7];
            for (int d = groupDepth[g]; d > 0; d--) {
                n0 = stepAndCredit(x, n0, contributions);
                n1 = stepAndCredit(x, n1, contributions);
                n2 = stepAndCredit(x, n2, contributions);
                n3 = stepAndCredit(x, n3, contributions);
                n4 = stepAndCredit(x, n4, contributions);
                n5 = stepAndCredit(x, n5, contributions);
                n6 = stepAndCredit(x, n6, contributions);
                n7 = stepAndCredit(x, n7, contributions);
            }
        }
        return contributions;
    }

    /** {@link #step}, crediting the split's feature with the change in node value. */
    private int stepAndCredit(double[] x, int n, double[] contributions) {
        int next = step(x, n);
        contributions[nodes[3 * n] >>> 1] += mean[next] - mean[n];
        return next;
    }

    @Override
    public List<Contribution> explain(double[] x, int top) {
        return Explanations.top(featureNames, x, contributions(x), top);
    }
}
