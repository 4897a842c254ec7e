/**
 * Pipelines: Triton ensembles ({@code platform: "ensemble"}) and Infera's declared step policies
 * (soft steps, timeouts, retries, fallbacks, conditions, cascades, routers). A {@link
 * dev.infera.core.pipeline.Pipeline} is the checked DAG over tensor names; a {@link
 * dev.infera.core.pipeline.PipelineScheduler} is the ensemble version's scheduler, running each
 * request's steps through a {@link dev.infera.core.pipeline.StepInvoker} (the engine), so every
 * step goes through its own model's routing and scheduler and batches with that model's other
 * traffic.
 *
 * <p>Depends on the configuration, contract and scheduling packages and the SPI; never on the
 * engine, routing or the lifecycle (the lifecycle builds pipelines, the engine runs their steps).
 */
package dev.infera.core.pipeline;
