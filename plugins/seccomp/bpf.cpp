#include "bpf.hpp"

#include <cstring>

namespace keel::seccomp {

std::string to_bytes(const Program& program) {
  std::string out(program.size() * sizeof(Insn), '\0');
  if (!program.empty()) std::memcpy(out.data(), program.data(), out.size());
  return out;
}

Program from_bytes(std::string_view bytes) {
  Program program(bytes.size() / sizeof(Insn));
  if (!program.empty()) std::memcpy(program.data(), bytes.data(), program.size() * sizeof(Insn));
  return program;
}

}  // namespace keel::seccomp
