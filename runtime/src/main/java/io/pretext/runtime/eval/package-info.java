/**
 * Evaluation protocols on frozen features, in plain Java: the {@link
 * io.pretext.runtime.eval.LinearProbe linear probe} (L2 logistic regression trained to convergence
 * with {@link io.pretext.runtime.eval.Lbfgs L-BFGS}, the model scikit-learn's
 * {@code LogisticRegression} fits), the weighted cosine {@link io.pretext.runtime.eval.KnnClassifier
 * k-NN}, seeded {@link io.pretext.runtime.eval.StratifiedSubsets stratified splits and label
 * subsets}, and the {@link io.pretext.runtime.eval.EvaluationTable table} that puts raw features,
 * an untrained encoder and the pretrained encoder side by side, per protocol and label fraction.
 */
package io.pretext.runtime.eval;
