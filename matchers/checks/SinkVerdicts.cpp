#include "matchers/checks/SinkCheck.h"

#include "matchers/checks/CheckRegistry.h"

namespace vmalloc_lint {

std::string sinkMessage(const SinkEvent &E, const SinkWording &W,
                        const std::string &Advice) {
  // A field sink (spi_transfer.tx_buf) is no call.
  bool Field = W.SinkName.find('.') != std::string::npos;
  std::string Sink = Field ? W.SinkName : W.SinkName + "()";
  if (Field && !W.Via)
    return W.What + " stored in " + Sink + ": " + Advice;
  if (W.Via)
    return W.What + " passed to " + W.ViaCallee + "() reaches " + Sink + ": " +
           Advice;
  if (E.Kind == SinkKind::UsbTransfer || E.Kind == SinkKind::SpiTransfer)
    return Sink + " data buffer is " + W.What + ": " + Advice;
  if (E.Kind == SinkKind::MmioWrite)
    return Sink + " writes " + W.What + " to the device: " + Advice;
  return Sink + " on " + W.What + ": " + Advice;
}

std::string insteadHelper(const MemorySink &Row) {
  std::string I = Row.Instead;
  bool Ident = !I.empty() && I.find_first_of("( ") == std::string::npos;
  return Ident ? I + "()" : I;
}

std::optional<SinkVerdict> vmallocVerdict(const MemValue &V) {
  const uint16_t K = V.Kinds;
  for (uint16_t Bit : {mem::Vmalloc, mem::Vmalloc32, mem::Vmap})
    if (K & Bit)
      return SinkVerdict{nullptr, Bit, false};
  // Inside the region where is_vmalloc_addr() is true.
  if ((K & mem::GuardVmalloc) && !(K & ~(mem::GuardVmalloc)))
    return SinkVerdict{nullptr, mem::GuardVmalloc, false};
  for (uint16_t Bit : {mem::MaybeVmalloc, mem::Mixed})
    if (K & Bit)
      return SinkVerdict{nullptr, Bit, true};
  return std::nullopt;
}

std::vector<SinkVerdict> judgeSink(SinkKind Kind, const MemValue &V,
                                   const DeviceDma &Device, SinkUse Use) {
  std::vector<SinkVerdict> Out;
  SinkEvent E{Kind, Use, nullptr, V, Device, {}};
  for (const CheckRow &Row : checkRegistry())
    if (Row.Sinks)
      if (std::optional<SinkVerdict> S = Row.Sinks->judge(E)) {
        S->Check = Row.Name;
        Out.push_back(*S);
      }
  return Out;
}

} // namespace vmalloc_lint
