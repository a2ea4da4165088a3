package dev.labbook.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * A fastText-style classifier (Joulin et al., 2016): an embedding table, the masked mean of the
 * embeddings of a text's n-gram ids, dropout, and a linear layer to two logits. Input: int64 ids
 * of shape (batch, length), 0 being padding; output: logits of shape (batch, 2).
 */
public final class FastTextBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int dimension;
    private final Parameter embedding;
    private final Dropout dropout;
    private final Linear linear;

    /**
     * @param rows embedding rows: the vocabulary size plus one for padding
     * @param dimension embedding size
     * @param dropoutRate dropout on the pooled vector while training
     */
    public FastTextBlock(int rows, int dimension, float dropoutRate) {
        super(VERSION);
        this.dimension = dimension;
        this.embedding = addParameter(Parameter.builder().setName("embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(rows, dimension)).optInitializer(new NormalInitializer(0.1f)).build());
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
        this.linear = addChildBlock("linear", Linear.builder().setUnits(2).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        NDArray table = ps.getValue(embedding, ids.getDevice(), training);
        NDArray vectors = Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
        NDArray mask = ids.gt(0).toType(DataType.FLOAT32, false).expandDims(2);
        NDArray sum = vectors.mul(mask).sum(new int[] {1});
        NDArray count = mask.sum(new int[] {1}).maximum(1f);
        NDArray pooled = sum.div(count);
        NDList hidden = dropout.forward(ps, new NDList(pooled), training);
        return linear.forward(ps, hidden, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 2)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape pooled = new Shape(inputShapes[0].get(0), dimension);
        dropout.initialize(manager, dataType, pooled);
        linear.initialize(manager, dataType, pooled);
    }
}
