// The hot loop, 64 bytes at a time: four SSE2 compares (on every x86-64) give a 64-bit mask of
// the element separators and one of the bytes that stop the fast path (the segment terminator,
// control characters, DEL, and bytes of 0x80 and up, which the signed compare flags and the
// table then passes as data); the element ends before the first stop are pushed straight from
// the mask (a count of trailing zeros and a clear of the lowest bit each), and only a stop byte
// goes through the per-byte table. One 4-byte push per element (its end); no allocation beyond
// the tables' growth (the element table grows in chunks, written through a pointer). The last 64
// bytes, and other targets, take the per-byte path.
#include "hl7/x12/scanner.h"

#include <algorithm>
#include <array>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace hearth::hl7::x12::detail {

bool valid_segment_id(std::string_view id) {
  if (id.size() < 2 || id.size() > 3) return false;
  if (id[0] < 'A' || id[0] > 'Z') return false;
  for (std::size_t i = 1; i < id.size(); ++i) {
    const char c = id[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

bool scan_interchange(std::string_view text, std::size_t start, const Delimiters& d,
                      const Limits& limits, std::vector<SegmentRecord>& segments,
                      std::vector<std::uint32_t>& element_ends, std::vector<SyntaxNote>& notes,
                      std::size_t* end, ScanEnd* how) {
  enum : std::uint8_t { kData = 0, kElement = 1, kTerminator = 2, kControl = 3 };
  std::array<std::uint8_t, 256> cls{};
  for (int c = 0; c < 0x20; ++c) cls[c] = kControl;
  cls[0x7f] = kControl;
  cls[static_cast<unsigned char>(d.element)] = kElement;
  cls[static_cast<unsigned char>(d.segment)] = kTerminator;
  // A line feed that ends segments may come as CR LF: the CR belongs to the terminator.
  if (d.segment == '\n') cls['\r'] = kTerminator;
  const char* p = text.data();
  const std::size_t n = text.size();
  const std::size_t max_len = limits.max_element_length;
#if defined(__SSE2__)
  const __m128i element_sep = _mm_set1_epi8(d.element);
  const __m128i terminator = _mm_set1_epi8(d.segment);
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i del = _mm_set1_epi8(0x7f);
  // The 64-byte block at `base`: its separators and its stop bytes, one bit per byte.
  std::size_t base = n;
  std::uint64_t seps = 0, stops = 0;
  auto load = [&](std::size_t at) {
    std::uint64_t sep = 0, stop = 0;
    for (int k = 0; k < 4; ++k) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at + 16 * k));
      const __m128i e = _mm_cmpeq_epi8(v, element_sep);
      const __m128i s =
          _mm_or_si128(_mm_cmpeq_epi8(v, terminator),
                       _mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del)));
      sep |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(e))) << (16 * k);
      stop |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(s))) << (16 * k);
    }
    base = at;
    seps = sep;
    stops = stop;
  };
#endif
  // The element-end table, written through a pointer: it is grown in chunks ahead of the
  // writes (room for a whole block always), and cut to what was written on the way out.
  std::size_t count = element_ends.size();
  std::uint32_t* ends = nullptr;
  auto room = [&](std::size_t more) {
    if (count + more > element_ends.size()) {
      element_ends.resize(count + more + 16384);  // 64 KiB ahead: zeroed pages are used soon
    }
    ends = element_ends.data();
  };
  room(65);
  auto push = [&](std::size_t at) { ends[count++] = static_cast<std::uint32_t>(at); };
  struct Trim {  // every return: the table holds exactly the entries written
    std::vector<std::uint32_t>& table;
    const std::size_t& count;
    ~Trim() { table.resize(count); }
  } trim{element_ends, count};
  std::size_t i = start;
  while (i < n) {
    if (segments.size() >= limits.max_segments) {
      *end = i;
      return false;
    }
    SegmentRecord rec;
    rec.begin = static_cast<std::uint32_t>(i);
    rec.first_element = static_cast<std::uint32_t>(count);
    const auto seg_index = static_cast<std::uint32_t>(segments.size());
    std::size_t element_begin = i;
    // An element end at `at`: the length bound, then its entry.
    auto element_end = [&](std::size_t at) {
      if (at - element_begin > max_len) {
        notes.push_back(SyntaxNote{seg_index, static_cast<int>(count - rec.first_element),
                                   ik4::kTooLong, static_cast<std::uint32_t>(element_begin)});
      }
      push(at);
      element_begin = at + 1;
    };
    while (i < n) {
#if defined(__SSE2__)
      if (i + 64 <= n) {
        if (i < base || i >= base + 64) {
          load(i);
          room(65);
        }
        const std::uint64_t from_i = ~std::uint64_t{0} << (i - base);
        const std::uint64_t stop = stops & from_i;
        const std::uint64_t before_stop = stop == 0 ? ~std::uint64_t{0} : (stop & (~stop + 1)) - 1;
        std::uint64_t run = seps & from_i & before_stop;
        if (run != 0 && max_len >= 64) {
          // Only the block's first element may be longer than the bound: the others begin
          // after a separator of the same 64 bytes.
          element_end(base + static_cast<std::size_t>(__builtin_ctzll(run)));
          for (run &= run - 1; run != 0; run &= run - 1) {
            const std::size_t at = base + static_cast<std::size_t>(__builtin_ctzll(run));
            push(at);
            element_begin = at + 1;
          }
        }
        for (; run != 0; run &= run - 1) {
          element_end(base + static_cast<std::size_t>(__builtin_ctzll(run)));
        }
        if (stop == 0) {
          i = base + 64;
          continue;
        }
        i = base + static_cast<std::size_t>(__builtin_ctzll(stop));
      }
#endif
      const std::uint8_t k = cls[static_cast<unsigned char>(p[i])];
      if (k == kData) {
        ++i;
      } else if (k == kElement) {
        room(2);
        element_end(i);
        ++i;
      } else if (k == kTerminator) {
        break;
      } else {
        notes.push_back(SyntaxNote{seg_index, static_cast<int>(count - rec.first_element),
                                   ik4::kInvalidCharacter, static_cast<std::uint32_t>(i)});
        ++i;
      }
    }
    if (i - element_begin > max_len) {
      notes.push_back(SyntaxNote{seg_index, static_cast<int>(count - rec.first_element),
                                 ik4::kTooLong, static_cast<std::uint32_t>(element_begin)});
    }
    room(1);
    push(i);
    rec.element_count = static_cast<std::uint32_t>(count) - rec.first_element;
    if (rec.element_count - 1 > limits.max_elements) {
      notes.push_back(
          SyntaxNote{seg_index, 0, ik4::kTooManyElements, static_cast<std::uint32_t>(rec.begin)});
    }
    // Only ISA and IEA matter here: two byte compares rule out every other segment.
    const std::uint32_t id_length = ends[rec.first_element] - rec.begin;
    const bool i_a = id_length == 3 && p[rec.begin] == 'I' && p[rec.begin + 2] == 'A';
    const bool isa = i_a && p[rec.begin + 1] == 'S';
    const bool iea = i_a && p[rec.begin + 1] == 'E';
    if (isa && rec.begin != start) {
      // A new interchange begins before this one's IEA.
      count = rec.first_element;
      notes.erase(std::remove_if(notes.begin(), notes.end(),
                                 [&](const SyntaxNote& note) { return note.segment == seg_index; }),
                  notes.end());
      *end = rec.begin;
      *how = ScanEnd::kNextHeader;
      return true;
    }
    const bool terminated = i < n;
    if (terminated) ++i;
    while (i < n && static_cast<unsigned char>(p[i]) <= ' ' &&
           (p[i] == '\n' || p[i] == '\r' || p[i] == ' ' || p[i] == '\t')) {
      ++i;
    }
    rec.terminator_end = static_cast<std::uint32_t>(i);
    segments.push_back(rec);
    if (iea && terminated) {
      *end = i;
      *how = ScanEnd::kTrailer;
      return true;
    }
  }
  *end = n;
  *how = ScanEnd::kEndOfText;
  return true;
}

}  // namespace hearth::hl7::x12::detail
