// The C interface of CFastTextShim.h over libfasttext 0.9.2 (Debian libfasttext-dev).
#include "CFastTextShim.h"

#include <fasttext/fasttext.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <cstring>
#include <fstream>
#include <exception>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

// The word ids of a line, computed as fastText's Dictionary::getLine computes them, but with the
// pruned n-gram index of a quantized (.ftz) model in a flat open-addressing table instead of
// fastText's std::unordered_map, whose lookups take most of the time of a prediction. Read-only
// after prepare(), so one model serves concurrent predictions.
class cft_line_encoder {
 public:
  void prepare(const fasttext::FastText &model) {
    dictionary_ = model.getDictionary();
    const fasttext::Args args = model.getArgs();
    minn_ = args.minn;
    maxn_ = args.maxn;
    bucket_ = args.bucket;
    word_ngrams_ = args.wordNgrams;
    label_ = args.label;
    nwords_ = dictionary_->nwords();
    // Dictionary::save writes the pruned index after the words; read it back from there.
    std::ostringstream saved;
    dictionary_->save(saved);
    const std::string bytes = saved.str();
    size_t offset = 0;
    auto read = [&](void *target, size_t count) {
      if (offset + count > bytes.size()) throw std::runtime_error("unexpected end of the saved dictionary");
      std::memcpy(target, bytes.data() + offset, count);
      offset += count;
    };
    int32_t size = 0, nwords = 0, nlabels = 0;
    int64_t ntokens = 0;
    read(&size, sizeof(size));
    read(&nwords, sizeof(nwords));
    read(&nlabels, sizeof(nlabels));
    read(&ntokens, sizeof(ntokens));
    read(&prune_size_, sizeof(prune_size_));
    for (int32_t i = 0; i < size; i++) {
      const size_t end = bytes.find('\0', offset);
      if (end == std::string::npos) throw std::runtime_error("unexpected end of the saved dictionary");
      offset = end + 1 + sizeof(int64_t) + sizeof(int8_t);
    }
    if (prune_size_ > 0) {
      // Most n-grams of a caption are not in the index: a bit per bucket answers those from the
      // cache (2M buckets are 256 KiB), the table only the hits.
      present_.assign((static_cast<size_t>(bucket_) + 63) / 64, 0);
      size_t capacity = 16;
      while (capacity < static_cast<size_t>(prune_size_) * 2) capacity *= 2;
      keys_.assign(capacity, -1);
      values_.assign(capacity, 0);
      for (int64_t i = 0; i < prune_size_; i++) {
        int32_t key = 0, value = 0;
        read(&key, sizeof(key));
        read(&value, sizeof(value));
        size_t slot = slot_of(key);
        while (keys_[slot] != -1) slot = (slot + 1) & (keys_.size() - 1);
        keys_[slot] = key;
        values_[slot] = value;
        if (key >= 0 && key < bucket_) present_[static_cast<size_t>(key) / 64] |= uint64_t(1) << (key % 64);
      }
    }
  }

  // Dictionary::getLine on one line (the text followed by a newline), keeping only word ids.
  void encode(const char *text, size_t length, std::vector<int32_t> &words) const {
    words.clear();
    std::vector<int32_t> hashes;
    size_t position = 0;
    std::string token;
    while (read_word(text, length, position, token)) {
      const uint32_t h = dictionary_->hash(token);
      const int32_t wid = dictionary_->getId(token, h);
      const fasttext::entry_type type = wid < 0 ? type_of(token) : dictionary_->getType(wid);
      if (type == fasttext::entry_type::word) {
        add_subwords(words, token, wid);
        hashes.push_back(static_cast<int32_t>(h));
      }
      if (token == fasttext::Dictionary::EOS) break;
    }
    for (size_t i = 0; i < hashes.size(); i++) {
      uint64_t h = static_cast<uint64_t>(static_cast<int64_t>(hashes[i]));
      for (size_t j = i + 1; j < hashes.size() && j < i + static_cast<size_t>(word_ngrams_); j++) {
        h = h * 116049371 + static_cast<uint64_t>(static_cast<int64_t>(hashes[j]));
        push_hash(words, static_cast<int32_t>(h % static_cast<uint64_t>(bucket_)));
      }
    }
  }

 private:
  // Dictionary::readWord over a byte buffer that the caller ends with '\n'.
  static bool read_word(const char *text, size_t length, size_t &position, std::string &word) {
    word.clear();
    while (position < length) {
      const char c = text[position++];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f' || c == '\0') {
        if (word.empty()) {
          if (c == '\n') {
            word += fasttext::Dictionary::EOS;
            return true;
          }
          continue;
        }
        if (c == '\n') position -= 1;
        return true;
      }
      word.push_back(c);
    }
    return !word.empty();
  }

  fasttext::entry_type type_of(const std::string &word) const {
    return word.find(label_) == 0 ? fasttext::entry_type::label : fasttext::entry_type::word;
  }

  void add_subwords(std::vector<int32_t> &line, const std::string &token, int32_t wid) const {
    if (wid < 0) {
      if (token != fasttext::Dictionary::EOS) compute_subwords(fasttext::Dictionary::BOW + token + fasttext::Dictionary::EOW, line);
    } else if (maxn_ <= 0) {
      line.push_back(wid);
    } else {
      const std::vector<int32_t> &ngrams = dictionary_->getSubwords(wid);
      line.insert(line.end(), ngrams.cbegin(), ngrams.cend());
    }
  }

  // Dictionary::computeSubwords: the character n-grams (UTF-8 aware) of minn..maxn characters,
  // hashed with FNV-1a as fastText does, without building a string per n-gram.
  void compute_subwords(const std::string &word, std::vector<int32_t> &ngrams) const {
    for (size_t i = 0; i < word.size(); i++) {
      if ((word[i] & 0xC0) == 0x80) continue;
      uint32_t h = 2166136261u;
      for (size_t j = i, n = 1; j < word.size() && n <= static_cast<size_t>(maxn_); n++) {
        h = (h ^ static_cast<uint32_t>(static_cast<int8_t>(word[j++]))) * 16777619u;
        while (j < word.size() && (word[j] & 0xC0) == 0x80) {
          h = (h ^ static_cast<uint32_t>(static_cast<int8_t>(word[j++]))) * 16777619u;
        }
        if (n >= static_cast<size_t>(minn_) && !(n == 1 && (i == 0 || j == word.size()))) {
          push_hash(ngrams, static_cast<int32_t>(h % static_cast<uint32_t>(bucket_)));
        }
      }
    }
  }

  // Dictionary::pushHash.
  void push_hash(std::vector<int32_t> &hashes, int32_t id) const {
    if (prune_size_ == 0 || id < 0) return;
    if (prune_size_ > 0) {
      if (id >= bucket_ || (present_[static_cast<size_t>(id) / 64] >> (id % 64) & 1) == 0) {
        if (id < bucket_) return;
      }
      size_t slot = slot_of(id);
      while (true) {
        if (keys_[slot] == -1) return;
        if (keys_[slot] == id) break;
        slot = (slot + 1) & (keys_.size() - 1);
      }
      id = values_[slot];
    }
    hashes.push_back(nwords_ + id);
  }

  size_t slot_of(int32_t key) const {
    return (static_cast<uint32_t>(key) * 2654435761u) & (keys_.size() - 1);
  }

  std::shared_ptr<const fasttext::Dictionary> dictionary_;
  int minn_ = 0, maxn_ = 0, bucket_ = 1, word_ngrams_ = 1;
  int32_t nwords_ = 0;
  int64_t prune_size_ = -1;
  std::string label_;
  std::vector<int32_t> keys_, values_;
  std::vector<uint64_t> present_;
};

struct cft_model {
  fasttext::FastText model;
  cft_line_encoder encoder;
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
    handle->encoder.prepare(handle->model);
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
    // FastText::predictLine on the text as one line: its word ids, then predict.
    std::string line(text, length);
    if (replace_newlines) {
      for (char &c : line) {
        if (c == '\n') c = ' ';
      }
    }
    line.push_back('\n');
    std::vector<int32_t> words;
    model->encoder.encode(line.data(), line.size(), words);
    fasttext::Predictions predictions;
    model->model.predict(k, words, predictions, threshold);
    auto dictionary = model->model.getDictionary();
    int written = 0;
    for (const auto &prediction : predictions) {
      if (written >= k) break;
      cft_copy(dictionary->getLabel(prediction.second), labels + static_cast<size_t>(written) * label_capacity, label_capacity);
      probabilities[written] = std::exp(prediction.first);
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
