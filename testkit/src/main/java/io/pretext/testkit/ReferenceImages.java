package io.pretext.testkit;

import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.ImageLayout;
import io.pretext.api.tensor.Padding;
import io.pretext.api.tensor.Shape;
import io.pretext.testkit.ReferenceOps.Value;

/**
 * The reference convolution and pooling: NHWC loops with TensorFlow's padding rules. In the NCHW
 * layout the activation is transposed to NHWC and back around the same loops.
 */
final class ReferenceImages {
    private ReferenceImages() {
    }

    private static Value toNhwc(Value x, ImageLayout layout) {
        return layout == ImageLayout.NHWC ? x : ReferenceShapes.transpose(x, 0, 2, 3, 1);
    }

    private static Value fromNhwc(Value x, ImageLayout layout) {
        return layout == ImageLayout.NHWC ? x : ReferenceShapes.transpose(x, 0, 3, 1, 2);
    }

    private static Shape nhwc(Shape s, ImageLayout layout) {
        return layout == ImageLayout.NHWC ? s : Shape.of(s.dim(0), s.dim(2), s.dim(3), s.dim(1));
    }

    // Top/left padding of TensorFlow's SAME rule: total padding split with the extra on the bottom/right.
    private static int padBefore(int size, int window, int stride, Padding padding) {
        if (padding == Padding.VALID) {
            return 0;
        }
        int out = (size + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + window - size, 0);
        return total / 2;
    }

    static Value conv2d(Value input, Value f, int strideHeight, int strideWidth, Padding padding, Shape result, ImageLayout layout) {
        Value x = toNhwc(input, layout);
        Shape out = nhwc(result, layout);
        double[] xd = x.data();
        double[] fd = f.data();
        int n = x.shape().dim(0);
        int h = x.shape().dim(1);
        int w = x.shape().dim(2);
        int c = x.shape().dim(3);
        int kh = f.shape().dim(0);
        int kw = f.shape().dim(1);
        int o = f.shape().dim(3);
        int oh = out.dim(1);
        int ow = out.dim(2);
        int pt = padBefore(h, kh, strideHeight, padding);
        int pl = padBefore(w, kw, strideWidth, padding);
        double[] r = new double[Math.toIntExact(out.size())];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int oc = 0; oc < o; oc++) {
                        double s = 0;
                        for (int di = 0; di < kh; di++) {
                            int y = i * strideHeight + di - pt;
                            if (y < 0 || y >= h) {
                                continue;
                            }
                            for (int dj = 0; dj < kw; dj++) {
                                int xx = j * strideWidth + dj - pl;
                                if (xx < 0 || xx >= w) {
                                    continue;
                                }
                                for (int ic = 0; ic < c; ic++) {
                                    s += xd[((b * h + y) * w + xx) * c + ic] * fd[((di * kw + dj) * c + ic) * o + oc];
                                }
                            }
                        }
                        r[((b * oh + i) * ow + j) * o + oc] = s;
                    }
                }
            }
        }
        return fromNhwc(new Value(out, DType.FLOAT32, r), layout);
    }

    static Value pool2d(boolean max, Value input, int window, int stride, Padding padding, Shape result, ImageLayout layout) {
        Value x = toNhwc(input, layout);
        Shape out = nhwc(result, layout);
        double[] xd = x.data();
        int n = x.shape().dim(0);
        int h = x.shape().dim(1);
        int w = x.shape().dim(2);
        int c = x.shape().dim(3);
        int oh = out.dim(1);
        int ow = out.dim(2);
        int pt = padBefore(h, window, stride, padding);
        int pl = padBefore(w, window, stride, padding);
        double[] r = new double[Math.toIntExact(out.size())];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int ch = 0; ch < c; ch++) {
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        int count = 0; // average pooling divides by the valid (unpadded) cells, as TensorFlow does
                        for (int di = 0; di < window; di++) {
                            int y = i * stride + di - pt;
                            if (y < 0 || y >= h) {
                                continue;
                            }
                            for (int dj = 0; dj < window; dj++) {
                                int xx = j * stride + dj - pl;
                                if (xx < 0 || xx >= w) {
                                    continue;
                                }
                                double val = xd[((b * h + y) * w + xx) * c + ch];
                                acc = max ? Math.max(acc, val) : acc + val;
                                count++;
                            }
                        }
                        r[((b * oh + i) * ow + j) * c + ch] = max ? acc : acc / count;
                    }
                }
            }
        }
        return fromNhwc(new Value(out, DType.FLOAT32, r), layout);
    }
}
