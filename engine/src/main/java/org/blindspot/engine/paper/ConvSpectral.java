package org.blindspot.engine.paper;

import java.util.List;

/**
 * Section 4.3 beyond the dense zoo, as cached in a run folder ({@code results/spectral-conv.json}).
 *
 * @param convNet      the small conv net's layer bounds ({@link SmallConvNet})
 * @param convNetError its test error
 * @param validNorm    the norm of its valid convolution by power iteration (at most the conv layer's bound)
 * @param alexNet      AlexNet's layer shapes' bounds at He initialisation ({@link AlexNetShapes}); empty when
 *                     not computed (the quick run)
 */
public record ConvSpectral(List<SpectralBounds.Layer> convNet, double convNetError, double validNorm,
                           List<SpectralBounds.Layer> alexNet) {
}
