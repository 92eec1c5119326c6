// The C interface of CFastTextShim.h over libfasttext 0.9.2 (Debian libfasttext-dev).
#include "CFastTextShim.h"

#include <fasttext/fasttext.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <exception>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

struct cft_model {
  fasttext::FastText model;
};

static void cft_copy(const std::string &message, char *buffer, size_t capacity) {
  if (buffer == nullptr || capacity == 0) return;
  size_t count = message.size() < capacity - 1 ? message.size() : capacity - 1;
  std::memcpy(buffer, message.data(), count);
  buffer[count] = '\0';
}

extern "C" cft_model *cft_load(const char *path, char *error, size_t error_capacity) {
  try {
    std::ifstream stream(path, std::ifstream::binary);
    if (!stream.is_open()) {
      cft_copy("the file cannot be opened", error, error_capacity);
      return nullptr;
    }
    // FastText::checkModel: the magic number and a format version fastText 0.9.2 reads.
    int32_t magic = 0, version = 0;
    stream.read(reinterpret_cast<char *>(&magic), sizeof(magic));
    stream.read(reinterpret_cast<char *>(&version), sizeof(version));
    if (!stream || magic != 793712314 || version > 12) {
      cft_copy("not a fastText model (wrong magic number or format version)", error, error_capacity);
      return nullptr;
    }
    std::unique_ptr<cft_model> handle(new cft_model());
    // fastText does not check its reads: on a model cut short it would loop on EOF (reading a
    // dictionary word until a NUL that never comes) or load garbage. Make every failed read throw.
    stream.exceptions(std::ifstream::failbit | std::ifstream::badbit);
    try {
      handle->model.loadModel(stream);
    } catch (const std::ios_base::failure &) {
      cft_copy("the model file ends before the model does (truncated)", error, error_capacity);
      return nullptr;
    }
    return handle.release();
  } catch (const std::exception &exception) {
    cft_copy(exception.what(), error, error_capacity);
  } catch (...) {
    cft_copy("unknown error while loading the model", error, error_capacity);
  }
  return nullptr;
}

extern "C" void cft_free(cft_model *model) { delete model; }

extern "C" int cft_label_count(const cft_model *model) {
  return model->model.getDictionary()->nlabels();
}

extern "C" int cft_predict(
    const cft_model *model, const char *text, size_t length, int replace_newlines, int k, float threshold,
    char *labels, size_t label_capacity, float *probabilities, char *error, size_t error_capacity) {
  try {
    std::string line(text, length);
    if (replace_newlines) {
      for (char &c : line) {
        if (c == '\n') c = ' ';
      }
    }
    line.push_back('\n');
    std::istringstream stream(line);
    std::vector<std::pair<fasttext::real, std::string>> predictions;
    model->model.predictLine(stream, predictions, k, threshold);
    int written = 0;
    for (const auto &prediction : predictions) {
      if (written >= k) break;
      cft_copy(prediction.second, labels + static_cast<size_t>(written) * label_capacity, label_capacity);
      probabilities[written] = prediction.first;
      written += 1;
    }
    return written;
  } catch (const std::exception &exception) {
    cft_copy(exception.what(), error, error_capacity);
  } catch (...) {
    cft_copy("unknown error while predicting", error, error_capacity);
  }
  return -1;
}
