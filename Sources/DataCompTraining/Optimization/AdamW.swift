internal import DataCompKernels
import Foundation

/// PyTorch's `torch.optim.AdamW` with OpenCLIP's two parameter groups, for ``CLIPParameters``.
///
/// Parameters whose `ndim < 2`, or whose name contains `bn`, `ln`, `bias` or `logit_scale`, get
/// no weight decay; every other parameter (including the embeddings and projections) is decayed,
/// as OpenCLIP 3.3.0's `main.py` groups them. Each update is PyTorch's: decoupled decay
/// `p ← p · (1 − lr · wd)`, then the bias-corrected moments with `eps` added to `√v̂`. The
/// moments are fp32, one pair per parameter.
///
/// ```swift
/// let config = try CLIPConfiguration.named("mini-ViT")
/// var parameters = try CLIPParameters(initializingFor: config, seed: 0)
/// var optimizer = AdamW.openCLIPDefaults(for: config)
/// let model = try CLIPModel(configuration: config, parameters: parameters)
/// let gradients = try model.lossAndGradients(pixels: Tensor(shape: [2, 3, 32, 32]), tokens: tokenizer.tokenize(captions, contextLength: 20))
/// try optimizer.step(&parameters, gradients: gradients, learningRate: 5e-4)
/// parameters.clampLogitScale()
/// ```
public struct AdamW: Sendable {
    /// The weight decay of the decayed group (`--wd`).
    public var weightDecay: Double
    /// β₁ and β₂.
    public var betas: (Double, Double)
    /// The ε added to `√v̂`.
    public var epsilon: Double
    /// How many threads one update may use: a large tensor's elements are split over them
    /// (each element's arithmetic is the same whatever the split).
    public var concurrency: ConcurrencyBudget = .machine
    /// Updates taken so far.
    public private(set) var stepCount = 0
    private var firstMoments: [String: [Float]] = [:]
    private var secondMoments: [String: [Float]] = [:]

    /// Creates an optimizer.
    ///
    /// - Parameters:
    ///   - weightDecay: The decayed group's weight decay.
    ///   - betas: β₁ and β₂.
    ///   - epsilon: ε.
    public init(weightDecay: Double, betas: (Double, Double), epsilon: Double) {
        self.weightDecay = weightDecay
        self.betas = betas
        self.epsilon = epsilon
    }

    /// OpenCLIP's defaults for a model: β₂ 0.98 and ε 1e-6 for ViT image towers, β₂ 0.999 and ε
    /// 1e-8 otherwise (β₁ 0.9).
    ///
    /// - Parameters:
    ///   - configuration: The model config.
    ///   - weightDecay: The weight decay (DataComp uses 0.2).
    /// - Returns: The optimizer.
    public static func openCLIPDefaults(for configuration: CLIPConfiguration, weightDecay: Double = 0.2) -> AdamW {
        configuration.vision.isModifiedResNet
            ? AdamW(weightDecay: weightDecay, betas: (0.9, 0.999), epsilon: 1e-8)
            : AdamW(weightDecay: weightDecay, betas: (0.9, 0.98), epsilon: 1e-6)
    }

    /// Whether OpenCLIP decays a parameter: not when `ndim < 2` or its name contains `bn`, `ln`,
    /// `bias` or `logit_scale`.
    ///
    /// - Parameters:
    ///   - name: The parameter's name.
    ///   - rank: Its number of dimensions.
    /// - Returns: Whether weight decay applies.
    public static func isDecayed(_ name: String, rank: Int) -> Bool {
        !(rank < 2 || name.contains("bn") || name.contains("ln") || name.contains("bias")
            || name.contains("logit_scale"))
    }

    /// The moments as safetensors tensors (`exp_avg.<name>`, `exp_avg_sq.<name>`), for a
    /// checkpoint; the step count goes into the checkpoint's metadata.
    public var stateTensors: [SafetensorsTensor] {
        stateSources.map { SafetensorsTensor(name: $0.name, tensor: $0.tensor) }
    }

    /// The moments as named tensors sharing the optimizer's storage (for writing without copies).
    var stateSources: [(name: String, tensor: Tensor)] {
        firstMoments.keys.sorted().flatMap { name -> [(name: String, tensor: Tensor)] in
            guard let m = firstMoments[name], let v = secondMoments[name] else { return [] }
            return [
                ("exp_avg." + name, Tensor(shape: [m.count], scalars: m)),
                ("exp_avg_sq." + name, Tensor(shape: [v.count], scalars: v)),
            ]
        }
    }

    /// Restores the moments and step count saved with ``stateTensors``.
    ///
    /// - Parameters:
    ///   - file: The state file.
    ///   - stepCount: The updates taken before the checkpoint.
    /// - Throws: `DataCompError` for an unreadable tensor.
    public mutating func restore(from file: SafetensorsFile, stepCount: Int) throws {
        self.stepCount = stepCount
        for info in file.tensors {
            if info.name.hasPrefix("exp_avg_sq.") {
                secondMoments[String(info.name.dropFirst("exp_avg_sq.".count))] = try file.tensor(named: info.name)
                    .scalars
            } else if info.name.hasPrefix("exp_avg.") {
                firstMoments[String(info.name.dropFirst("exp_avg.".count))] = try file.tensor(named: info.name).scalars
            }
        }
    }

    /// Takes one update of every parameter that has a gradient.
    ///
    /// - Parameters:
    ///   - parameters: The parameters, updated in place.
    ///   - gradients: Their gradients.
    ///   - learningRate: The rate for this step (from a ``CosineSchedule``).
    /// - Throws: `DataCompError` with code `shapeMismatch` when a gradient's shape differs.
    public mutating func step(_ parameters: inout CLIPParameters, gradients: CLIPGradients, learningRate: Double) throws
    {
        stepCount += 1
        let (beta1, beta2) = betas
        let correction1 = 1 - pow(beta1, Double(stepCount))
        let correction2 = 1 - pow(beta2, Double(stepCount))
        let stepSize = Float(learningRate / correction1)
        let correction2Root = Float(correction2.squareRoot())
        let (b1, b2, eps) = (Float(beta1), Float(beta2), Float(epsilon))
        for name in parameters.names {
            guard let gradient = gradients[name], let shape = parameters[name]?.shape else { continue }
            guard gradient.shape == shape else {
                throw DataCompError(
                    .shapeMismatch, "the gradient of \(name) has shape \(gradient.shape), the parameter \(shape)")
            }
            let decay = Self.isDecayed(name, rank: shape.count) ? Float(1 - learningRate * weightDecay) : 1
            var m = firstMoments.removeValue(forKey: name) ?? [Float](repeating: 0, count: gradient.count)
            var v = secondMoments.removeValue(forKey: name) ?? [Float](repeating: 0, count: gradient.count)
            let g = gradient.scalars
            let update = Update(
                decay: decay, b1: b1, b2: b2, stepSize: stepSize, correction2Root: correction2Root, eps: eps)
            parameters.update(name) { p in
                p.withUnsafeMutableBufferPointer { p in
                    m.withUnsafeMutableBufferPointer { m in
                        v.withUnsafeMutableBufferPointer { v in
                            g.withUnsafeBufferPointer { g in
                                let buffers = UpdateBuffers(
                                    p: SharedBuffer(p), m: SharedBuffer(m), v: SharedBuffer(v),
                                    g: SharedBuffer(UnsafeMutableBufferPointer(mutating: g)))
                                // Below 64K elements a second thread costs more than it saves.
                                let parts = BoundedFanOut.contiguousParts(
                                    p.count, min(concurrency.width, p.count / 65_536))
                                BoundedFanOut.forEachBlocking(parts.count, width: concurrency.width) { part in
                                    update.apply(buffers, parts[part])
                                }
                            }
                        }
                    }
                }
            }
            firstMoments[name] = m
            secondMoments[name] = v
        }
    }

    /// One parameter's update constants.
    private struct Update: Sendable {
        let decay, b1, b2, stepSize, correction2Root, eps: Float

        /// PyTorch's single-tensor AdamW step on elements `range`: decoupled decay, the moments,
        /// then `p −= step · m / (√v / √(1 − β₂ᵗ) + ε)`.
        func apply(_ buffers: UpdateBuffers, _ range: Range<Int>) {
            let (p, m, v, g) = (buffers.p.buffer, buffers.m.buffer, buffers.v.buffer, buffers.g.buffer)
            for i in range {
                p[i] *= decay
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                p[i] -= stepSize * m[i] / (v[i].squareRoot() / correction2Root + eps)
            }
        }
    }

    /// A parameter, its moments and its gradient (read only), shared by the threads of one
    /// update; each thread touches only its own range of elements.
    private struct UpdateBuffers: Sendable {
        let p, m, v, g: SharedBuffer<Float>
    }
}
