package io.pretext.bench;

import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The same SCARF model written by hand against TensorFlow-Java, the way one would without
 * Pretext: resource variables, MatMul + BiasAdd + Relu, L2 normalization, the fused
 * SoftmaxCrossEntropyWithLogits against the identity, Graph.addGradients and the fused
 * ResourceApplyAdam with beta powers fed each step. It starts from the same parameter values as
 * the op-layer path, so both compute the same losses.
 */
final class ScarfHandWritten implements AutoCloseable {
    private static final float TAU = 0.1f;

    private final Graph graph = new Graph();
    private final Session session;
    private final Output<TFloat32> anchor;
    private final Output<TFloat32> corrupted;
    private final Output<TFloat32> learningRate;
    private final Output<TFloat32> beta1Power;
    private final Output<TFloat32> beta2Power;
    private final Output<TFloat32> loss;
    private final Operation train;
    private final int batch;
    private long step;

    ScarfHandWritten(int batch, List<ParamSpec> parameters, ParameterSet initial, int intraOpThreads, int interOpThreads) {
        this.batch = batch;
        Ops tf = Ops.create(graph);
        anchor = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, ScarfData.FEATURES))).output();
        corrupted = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, ScarfData.FEATURES))).output();
        learningRate = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar())).output();
        beta1Power = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar())).output();
        beta2Power = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar())).output();

        // Variables in the op-layer path's order: encoder dense0..2 (kernel, bias), head dense0..1.
        List<Operand<?>> handles = new ArrayList<>();
        List<Operand<?>> ms = new ArrayList<>();
        List<Operand<?>> vs = new ArrayList<>();
        List<Operand<TFloat32>> reads = new ArrayList<>();
        List<Operation> inits = new ArrayList<>();
        List<org.tensorflow.Tensor> initTensors = new ArrayList<>();
        int i = 0;
        for (ParamSpec p : parameters) {
            Shape shape = Shape.of(java.util.Arrays.stream(p.shape().dims()).asLongStream().toArray());
            Operand<?> h = tf.varHandleOp(TFloat32.class, shape, VarHandleOp.sharedName("w" + i));
            Operand<?> m = tf.varHandleOp(TFloat32.class, shape, VarHandleOp.sharedName("m" + i));
            Operand<?> v = tf.varHandleOp(TFloat32.class, shape, VarHandleOp.sharedName("v" + i));
            i++;
            handles.add(h);
            ms.add(m);
            vs.add(v);
            reads.add(tf.readVariableOp(h, TFloat32.class));
            TFloat32 value = TFloat32.tensorOf(shape, DataBuffers.of(initial.get(p.name()).data(), true, false));
            initTensors.add(value);
            inits.add(tf.assignVariableOp(h, tf.constantOf(value)).op());
            inits.add(tf.assignVariableOp(m, tf.zeros(tf.constant(shape), TFloat32.class)).op());
            inits.add(tf.assignVariableOp(v, tf.zeros(tf.constant(shape), TFloat32.class)).op());
        }
        Operand<TFloat32> za = l2Normalize(tf, head(tf, reads, encoder(tf, reads, anchor)));
        Operand<TFloat32> zb = l2Normalize(tf, head(tf, reads, encoder(tf, reads, corrupted)));
        Operand<TFloat32> logits = tf.math.div(tf.linalg.matMul(za, zb, MatMul.transposeB(true)), tf.constant(TAU));
        float[] eye = new float[batch * batch];
        for (int r = 0; r < batch; r++) {
            eye[r * batch + r] = 1f;
        }
        Operand<TFloat32> labels = tf.constant(Shape.of(batch, batch), DataBuffers.of(eye, true, false));
        loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss(), tf.constant(0)).asOutput();

        Output<?>[] xs = new Output<?>[reads.size()];
        for (int k = 0; k < xs.length; k++) {
            xs[k] = reads.get(k).asOutput();
        }
        Output<?>[] grads = graph.addGradients(loss, xs);
        Ops after = tf.withControlDependencies(List.of(tf.identity(loss)));
        List<Operation> updates = new ArrayList<>();
        for (int k = 0; k < grads.length; k++) {
            @SuppressWarnings("unchecked")
            Operand<TFloat32> g = (Operand<TFloat32>) grads[k];
            updates.add(after.train.resourceApplyAdam(handles.get(k), ms.get(k), vs.get(k), beta1Power, beta2Power, learningRate,
                    tf.constant(0.9f), tf.constant(0.999f), tf.constant(1e-8f), g).op());
        }
        train = tf.withControlDependencies(updates.stream().map(o -> (org.tensorflow.op.Op) () -> o).toList()).noOp().op();

        session = new Session(graph, ConfigProto.newBuilder().setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(interOpThreads).build());
        Session.Runner init = session.runner();
        inits.forEach(init::addTarget);
        init.run().close();
        initTensors.forEach(org.tensorflow.Tensor::close);
    }

    private static Operand<TFloat32> dense(Ops tf, List<Operand<TFloat32>> reads, int layer, Operand<TFloat32> x, boolean relu) {
        Operand<TFloat32> y = tf.nn.biasAdd(tf.linalg.matMul(x, reads.get(2 * layer)), reads.get(2 * layer + 1));
        return relu ? tf.nn.relu(y) : y;
    }

    private static Operand<TFloat32> encoder(Ops tf, List<Operand<TFloat32>> reads, Operand<TFloat32> x) {
        return dense(tf, reads, 2, dense(tf, reads, 1, dense(tf, reads, 0, x, true), true), true);
    }

    private static Operand<TFloat32> head(Ops tf, List<Operand<TFloat32>> reads, Operand<TFloat32> h) {
        return dense(tf, reads, 4, dense(tf, reads, 3, h, true), false);
    }

    private static Operand<TFloat32> l2Normalize(Ops tf, Operand<TFloat32> x) {
        Operand<TFloat32> sq = tf.sum(tf.math.square(x), tf.constant(1), Sum.keepDims(true));
        return tf.math.mul(x, tf.math.rsqrt(tf.math.maximum(sq, tf.constant(1e-24f))));
    }

    double step(float[] anchorValues, float[] corruptedValues) {
        Shape s = Shape.of(batch, ScarfData.FEATURES);
        long t = ++step;
        try (TFloat32 a = TFloat32.tensorOf(s, DataBuffers.of(anchorValues, true, false));
             TFloat32 c = TFloat32.tensorOf(s, DataBuffers.of(corruptedValues, true, false));
             TFloat32 lr = TFloat32.scalarOf(1e-3f);
             TFloat32 b1 = TFloat32.scalarOf((float) Math.pow(0.9, t));
             TFloat32 b2 = TFloat32.scalarOf((float) Math.pow(0.999, t));
             Result r = session.runner().feed(anchor, a).feed(corrupted, c).feed(learningRate, lr).feed(beta1Power, b1)
                     .feed(beta2Power, b2).fetch(loss).addTarget(train).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
