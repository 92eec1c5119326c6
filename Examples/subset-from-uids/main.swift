// Builds a DataComp subset file from a text file of hex uids, using only the public API.
//
// Usage: subset-from-uids UIDS.txt OUTPUT.npy

import DataComp
import Foundation

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    printError("usage: subset-from-uids UIDS.txt OUTPUT.npy")
    exit(2)
}

do {
    // One 32-digit hex uid per line; blank lines are ignored, duplicates are kept.
    let ids = try SampleID.readList(fromTextFile: arguments[1])
    // Sorted and written exactly as NumPy's np.save writes the u8,u8 array.
    try SubsetFile.write(ids, to: arguments[2])
    // Read it back (memory-mapped) and report how many distinct uids it selects.
    let subset = try SubsetFile.read(from: arguments[2])
    var distinct = 0
    var previous: SampleID?
    for id in subset where id != previous {
        distinct += 1
        previous = id
    }
    print("wrote \(subset.count) uids (\(distinct) distinct) to \(arguments[2])")
} catch {
    printError("error: \(error)")
    exit(1)
}
