#pragma once

#include "awserror.h"

#include <utility>
#include <variant>

namespace pagewise
{

/// A value or an AwsError (C++20 has no std::expected).
template<typename T>
class Result
{
public:
    Result(T value)
        : m_data(std::move(value))
    {
    }
    Result(AwsError error)
        : m_data(std::move(error))
    {
    }

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return std::get<T>(m_data); }
    T &value() & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    const AwsError &error() const { return std::get<AwsError>(m_data); }

private:
    std::variant<T, AwsError> m_data;
};

} // namespace pagewise
