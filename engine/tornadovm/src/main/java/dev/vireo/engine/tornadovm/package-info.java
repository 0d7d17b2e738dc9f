/**
 * The TornadoVM backend behind the device seam ({@code dev.vireo.engine.tensor.ComputeProvider}),
 * registered as {@code tornado}. {@link dev.vireo.engine.tornadovm.TornadoProvider} is what the service
 * loader finds and touches no TornadoVM class; {@link dev.vireo.engine.tornadovm.TornadoRuntime} says
 * whether a runtime can run here; {@link dev.vireo.engine.tornadovm.DeviceOps} runs the seam's ops as
 * {@link dev.vireo.engine.tornadovm.DevicePlan}s (one task graph per op and shape, kept in a
 * {@link dev.vireo.engine.tornadovm.PlanCache}), and {@link dev.vireo.engine.tornadovm.DeviceEncoder} a
 * transformer stack as one plan; {@link dev.vireo.engine.tornadovm.TornadoKernels} are the kernels,
 * each tested on the device against the CPU provider (TornadoProviderTest, ClipOnDeviceTest).
 */
package dev.vireo.engine.tornadovm;
