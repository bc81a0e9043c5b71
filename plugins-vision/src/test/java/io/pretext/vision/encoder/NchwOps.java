package io.pretext.vision.encoder;

import io.pretext.api.tensor.ImageLayout;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Tensor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The reference ops seen through an NCHW backend's eyes, as PyTorch (DJL) keeps activations:
 * {@code imageLayout()} says NCHW and convolution and pooling take and return NCHW (by transposing
 * around the NHWC reference). Model code that is truly layout-aware gives the same result on both.
 */
final class NchwOps {
    private NchwOps() {
    }

    static Ops wrap(Ops nhwc) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("imageLayout")) {
                return ImageLayout.NCHW;
            }
            if (name.equals("conv2d") || name.equals("maxPool2d") || name.equals("avgPool2d")) {
                Object[] a = args.clone();
                a[0] = nhwc.transpose((Tensor) args[0], 0, 2, 3, 1);
                Tensor out = (Tensor) invoke(method, nhwc, a);
                return nhwc.transpose(out, 0, 3, 1, 2);
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            return invoke(method, nhwc, args);
        };
        return (Ops) Proxy.newProxyInstance(Ops.class.getClassLoader(), new Class<?>[] {Ops.class}, handler);
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
