# Our own code builds with every warning that catches real bugs, as errors.
# Third-party headers come in as SYSTEM includes and are not affected.
#
# -Wno-missing-field-initializers: g++ flags designated initializers that
# leave members to their default member initializers (`Puback{.packet_id =
# 7}`), which is exactly the idiom we want for packets.
function(mqttsim_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wconversion -Werror
                                           -Wno-missing-field-initializers)
endfunction()
