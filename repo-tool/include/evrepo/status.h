// Status and Result<T>: how failure crosses evrepo's interfaces.
//
// A Status is either OK or carries a code and a message written for the user
// (lower case, values quoted, no trailing period).  Result<T> holds either a
// value or a non-OK Status, shaped like std::expected.  Foreign exceptions
// (yaml-cpp, Xapian, …) are caught where the foreign library is called and
// turned into a Status; nothing throws across these interfaces.
#ifndef EVREPO_STATUS_H_
#define EVREPO_STATUS_H_

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace evrepo {

class Status {
 public:
  enum class Code {
    kOk,
    kNotFound,  // a file, corpus, type or document does not exist
    kInvalid,   // input exists but is malformed (schema, config, value)
    kIo,        // the operating system refused a read or write
    kUsage,     // the caller asked for something that makes no sense
    kConflict,  // the operation would overwrite or lose data
    kInternal,  // a library failed in a way we did not expect
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status NotFound(std::string m) { return {Code::kNotFound, m}; }
  static Status Invalid(std::string m) { return {Code::kInvalid, m}; }
  static Status Io(std::string m) { return {Code::kIo, m}; }
  static Status Usage(std::string m) { return {Code::kUsage, m}; }
  static Status Conflict(std::string m) { return {Code::kConflict, m}; }
  static Status Internal(std::string m) { return {Code::kInternal, m}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // An optional second line of advice, printed as "hint: …".
  const std::string& hint() const { return hint_; }
  Status& WithHint(std::string hint) {
    hint_ = std::move(hint);
    return *this;
  }

 private:
  Status(Code code, std::string message)
      : code_(code), message_(std::move(message)) {}

  Code code_ = Code::kOk;
  std::string message_;
  std::string hint_;
};

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  // The error; only valid when !ok().
  const Status& status() const { return std::get<Status>(v_); }

  // The value; only valid when ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace evrepo

#endif  // EVREPO_STATUS_H_
