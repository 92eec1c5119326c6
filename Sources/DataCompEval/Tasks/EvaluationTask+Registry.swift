extension EvaluationTask {
    /// DataComp's 40 tasks in `tasklist.yml`'s order (DataComp commit 4a8df19): key, display
    /// name, main metric, size, class count, random score and tags as the file gives them.
    public static let all: [EvaluationTask] = [
        task(
            "vtab/caltech101", "Caltech-101", .classification, "mean_per_class_recall", 6085, 102, 0.009804,
            [.vtabNatural]),
        task("cifar10", "CIFAR-10", .classification, "acc1", 10000, 10, 0.1),
        task("vtab/cifar100", "CIFAR-100", .classification, "acc1", 10000, 100, 0.01, [.vtabNatural]),
        task("vtab/clevr_count_all", "CLEVR Counts", .classification, "acc1", 15000, 8, 0.125061, [.vtabStructured]),
        task(
            "vtab/clevr_closest_object_distance", "CLEVR Distance", .classification, "acc1", 15000, 6, 0.19052,
            [.vtabStructured]),
        task("country211", "Country211", .classification, "acc1", 21100, 211, 0.004739),
        task("vtab/dtd", "Describable Textures", .classification, "acc1", 1880, 47, 0.021277, [.vtabNatural]),
        task("vtab/eurosat", "EuroSAT", .classification, "acc1", 5400, 10, 0.101483, [.vtabSpecialized]),
        task("fgvc_aircraft", "FGVC Aircraft", .classification, "mean_per_class_recall", 3333, 100, 0.01),
        task("food101", "Food-101", .classification, "acc1", 25250, 101, 0.009901),
        task("gtsrb", "GTSRB", .classification, "acc1", 12630, 43, 0.037604),
        task("imagenet1k", "ImageNet 1k", .classification, "acc1", 50000, 1000, 0.001),
        task("imagenet_sketch", "ImageNet Sketch", .classification, "acc1", 50889, 1000, 0.001),
        task("imagenetv2", "ImageNet v2", .classification, "acc1", 10000, 1000, 0.001),
        task("imagenet-a", "ImageNet-A", .classification, "acc1", 7500, 200, 0.008056),
        task("imagenet-o", "ImageNet-O", .classification, "acc1", 2000, 200, 0.006047),
        task("imagenet-r", "ImageNet-R", .classification, "acc1", 30000, 200, 0.006163),
        task(
            "vtab/kitti_closest_vehicle_distance", "KITTI Vehicle Distance", .classification, "acc1", 711, 4, 0.295289,
            [.vtabStructured]),
        task("mnist", "MNIST", .classification, "acc1", 10000, 10, 0.10035),
        task("objectnet", "ObjectNet", .classification, "acc1", 18574, 113, 0.009481),
        task(
            "vtab/flowers", "Oxford Flowers-102", .classification, "mean_per_class_recall", 6149, 102, 0.009804,
            [.vtabNatural]),
        task(
            "vtab/pets", "Oxford-IIIT Pet", .classification, "mean_per_class_recall", 3669, 37, 0.027027, [.vtabNatural]
        ),
        task("voc2007", "Pascal VOC 2007", .classification, "acc1", 14976, 20, 0.154038),
        task("vtab/pcam", "PatchCamelyon", .classification, "acc1", 32768, 2, 0.5, [.vtabSpecialized]),
        task("renderedsst2", "Rendered SST2", .classification, "acc1", 1821, 2, 0.500001),
        task("vtab/resisc45", "RESISC45", .classification, "acc1", 6300, 45, 0.022342, [.vtabSpecialized]),
        task("cars", "Stanford Cars", .classification, "acc1", 8041, 196, 0.00516),
        task("stl10", "STL-10", .classification, "acc1", 8000, 10, 0.1),
        task("sun397", "SUN397", .classification, "acc1", 108754, 397, 0.004645, [.vtabNatural]),
        task("vtab/svhn", "SVHN", .classification, "acc1", 26032, 10, 0.117897, [.vtabNatural]),
        task(
            "retrieval/flickr_1k_test_image_text_retrieval", "Flickr", .retrieval, "mean_recall@1", 1000,
            tags: [.retrieval]),
        task(
            "retrieval/mscoco_2014_5k_test_image_text_retrieval", "MSCOCO", .retrieval, "mean_recall@1", 5000,
            tags: [.retrieval]),
        task("misc/winogavil", "WinoGAViL", .association, "jaccard_score_10-12", 3563, nil, 0.205, [.retrieval]),
        task("wilds/iwildcam", "iWildCam", .wilds, "F1-macro_all", 42791, 182, 0.143056, [.wilds]),
        task("wilds/camelyon17", "Camelyon17", .wilds, "acc1", 85054, 2, 0.5, [.wilds]),
        task("wilds/fmow", "FMoW", .wilds, "acc_worst_region", 22108, 62, 0.027193, [.wilds]),
        task("fairness/dollar_street", "Dollar Street", .fairness, "acc_top5_wg", 3503, 58, tags: [.fairness]),
        task("fairness/geode", "GeoDE", .fairness, "acc_wg", 12488, 40, tags: [.fairness]),
        task("fairness/fairface", "FairFace", .demographic, nil, 10954, tags: [.fairness]),
        task("fairness/utkface", "UTKFace", .demographic, nil, 23703, tags: [.fairness]),
    ]

    /// The 38 scored tasks, in ``all``'s order.
    public static var scored: [EvaluationTask] { all.filter(\.isScored) }

    /// The task with this key (`"imagenet1k"`), or `nil` if DataComp has no such task.
    ///
    /// - Parameter key: A `tasklist.yml` key.
    /// - Returns: The task, or `nil`.
    public static func named(_ key: String) -> EvaluationTask? {
        registryByKey[key]
    }

    /// The task with this display name (`"ImageNet 1k"`), or `nil`.
    ///
    /// - Parameter name: A display name, as in a result row's `dataset` field.
    /// - Returns: The task, or `nil`.
    public static func displayNamed(_ name: String) -> EvaluationTask? {
        all.first { $0.name == name }
    }

    private static let registryByKey: [String: EvaluationTask] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.key, $0) })

    private static func task(
        _ key: String, _ name: String, _ kind: TaskKind, _ mainMetric: String?, _ size: Int, _ classCount: Int? = nil,
        _ randomScore: Double? = nil, tags: Set<TaskTag> = []
    ) -> EvaluationTask {
        EvaluationTask(
            key: key, name: name, kind: kind, mainMetric: mainMetric, size: size, classCount: classCount,
            randomScore: randomScore, tags: tags)
    }

    private static func task(
        _ key: String, _ name: String, _ kind: TaskKind, _ mainMetric: String?, _ size: Int, _ classCount: Int?,
        _ randomScore: Double?, _ tags: Set<TaskTag>
    ) -> EvaluationTask {
        EvaluationTask(
            key: key, name: name, kind: kind, mainMetric: mainMetric, size: size, classCount: classCount,
            randomScore: randomScore, tags: tags)
    }
}
