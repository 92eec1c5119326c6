import DataCompFilters
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct EmbeddingFileTests {
    @Test("Reads DataComp's .pt assets, .npy and .npz, and stacks several files")
    func reads() throws {
        let pt = try EmbeddingFile.read([
            Fixtures.path("baselines/assets/in1k_clip_vit_l14_0.pt"),
            Fixtures.path("baselines/assets/in1k_clip_vit_l14_1.pt"),
        ])
        let npy = try EmbeddingFile.read([Fixtures.path("baselines/assets/in1k_clip_vit_l14.npy")])
        #expect(pt.shape == npy.shape)
        #expect(pt.scalars == npy.scalars)
        let centroids = try EmbeddingFile.read([Fixtures.path("baselines/assets/centroids_l14.pt")])
        #expect(
            centroids.scalars == (try EmbeddingFile.read([Fixtures.path("baselines/assets/centroids_l14.npy")])).scalars
        )
        #expect(centroids.shape == [16, 768])
    }

    @Test(
        "Files of different widths, arrays that are not matrices and files without a matrix are errors naming the file")
    func errors() throws {
        let widths = #expect(throws: DataCompError.self) {
            try EmbeddingFile.read([
                Fixtures.path("baselines/assets/centroids_l14.npy"), Fixtures.path("torch/centroids_protocol4.pt"),
            ])
        }
        #expect(widths?.code == .shapeMismatch)
        #expect(widths?.path?.hasSuffix("centroids_protocol4.pt") == true)
        let mixed = #expect(throws: DataCompError.self) { try EmbeddingFile.read([Fixtures.path("torch/mixed.pt")]) }
        #expect(mixed?.code == .missingMember)
        let vector = #expect(throws: DataCompError.self) {
            try EmbeddingFile.read([Fixtures.path("torch/handmade_shared.pt")])
        }
        #expect(vector?.path?.hasSuffix("handmade_shared.pt") == true)
    }
}
